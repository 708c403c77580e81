/**
 * Server bundles (Vite SSR, a Node target or platform) are left alone: the runtime
 * keeps one trace per page, which means nothing in a server. `ssr: true` opts in.
 */

import { rspack } from '@rspack/core'
import * as esbuild from 'esbuild'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build as rolldownBuild } from 'rolldown'
import { build as viteBuild } from 'vite'
import webpack from 'webpack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import type { PluginOptions } from '../../plugin/options.js'
import sentryRolldown from '../../plugin/rolldown.js'
import sentryRspack from '../../plugin/rspack.js'
import sentryVite from '../../plugin/vite.js'
import sentryWebpack from '../../plugin/webpack.js'
import { PLUGIN_OPTIONS, RSPACK_TYPESCRIPT, runWebpackLike, TS_EXTENSION_ALIAS, WEBPACK_TYPESCRIPT, type WebpackLikeCompiler } from './helpers/builds.js'
import { FIXTURE_APP, outputDir } from './helpers/paths.js'

const ENTRY = join(FIXTURE_APP, 'src/probe.ts')

/** Each bundler's server build of `src/probe.ts`, returning the output code. */
const SERVER_BUILDS: Record<string, (outDir: string, options: PluginOptions) => Promise<string>> = {
  async 'Vite SSR build'(outDir, options) {
    await viteBuild({
      root: FIXTURE_APP,
      configFile: false,
      envDir: false,
      logLevel: 'silent',
      plugins: [sentryVite(options)],
      build: { ssr: ENTRY, outDir, emptyOutDir: true, minify: false },
    })
    return readFile(join(outDir, 'probe.js'), 'utf8')
  },

  async 'webpack target: node'(outDir, options) {
    const compiler = webpack({ ...nodeTarget(outDir), module: { rules: [WEBPACK_TYPESCRIPT] }, plugins: [sentryWebpack(options)] })
    await runWebpackLike(compiler as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
    return readFile(join(outDir, 'probe.js'), 'utf8')
  },

  async 'Rspack target: node'(outDir, options) {
    const compiler = rspack({ ...(nodeTarget(outDir) as object), module: { rules: [RSPACK_TYPESCRIPT] }, plugins: [sentryRspack(options)] })
    await runWebpackLike(compiler as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
    return readFile(join(outDir, 'probe.js'), 'utf8')
  },

  async 'esbuild platform: node'(_outDir, options) {
    const result = await esbuild.build({ entryPoints: [ENTRY], bundle: true, platform: 'node', write: false, logLevel: 'silent', plugins: [sentryEsbuild(options)] })
    return result.outputFiles[0]!.text
  },

  async 'Rolldown platform: node'(_outDir, options) {
    const { output } = await rolldownBuild({
      input: ENTRY,
      platform: 'node',
      write: false,
      logLevel: 'silent',
      resolve: { extensionAlias: TS_EXTENSION_ALIAS },
      plugins: [sentryRolldown(options)],
    })
    return output[0].code
  },
}

function nodeTarget(outDir: string) {
  return {
    mode: 'production' as const,
    context: FIXTURE_APP,
    target: 'node',
    entry: './src/probe.ts',
    output: { path: outDir, filename: 'probe.js', library: { type: 'commonjs2' as const } },
    resolve: { extensions: ['.ts', '.js'], extensionAlias: TS_EXTENSION_ALIAS },
    optimization: { minimize: false },
    infrastructureLogging: { level: 'none' as const },
  }
}

describe.each(Object.keys(SERVER_BUILDS))('%s', (name) => {
  let outDir: string
  let dispose: (() => Promise<void>) | undefined

  beforeAll(async () => {
    const out = await outputDir('server')
    outDir = out.dir
    dispose = out.dispose
  })

  afterAll(() => dispose?.())

  it('is left alone', async () => {
    const code = await SERVER_BUILDS[name]!(outDir, PLUGIN_OPTIONS)
    expect(code).toContain('/api/probe')
    expect(code).not.toMatch(/tracedFetch|pickUpMetaTags|configured-runtime/i)
  })

  it('is rewritten with `ssr: true`', async () => {
    const code = await SERVER_BUILDS[name]!(outDir, { ...PLUGIN_OPTIONS, ssr: true })
    expect(code).toMatch(/alwaysTracedFetch/i)
    expect(code.replace(/\s+/g, ' ')).toContain('tracePropagationTargets: [/^\\/api/, "api.example.test"]')
  })
})
