/**
 * webpack's and Rspack's persistent caches: a build whose plugin options changed
 * (as options from environment variables do, with the config file unchanged) gives
 * what a fresh build with those options gives, never modules rewritten with the old.
 */

import { rspack } from '@rspack/core'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import webpack from 'webpack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PluginOptions } from '../../plugin/options.js'
import sentryRspack from '../../plugin/rspack.js'
import sentryWebpack from '../../plugin/webpack.js'
import { runWebpackLike, RSPACK_TYPESCRIPT, WEBPACK_TYPESCRIPT, type WebpackLikeCompiler } from './helpers/builds.js'
import { FIXTURE_APP, outputDir } from './helpers/paths.js'
import { ensurePnpmStyleDependency } from './helpers/pnpm-layout.js'

const FIRST: PluginOptions = { tracePropagationTargets: [/^\/api/], sentry: false }
const CHANGED: PluginOptions = { tracePropagationTargets: [/^\/api/, 'api.example.test'], propagateTraceparent: true, sentry: false }

const COMPILERS = {
  webpack: (options: PluginOptions, cacheDirectory: string, out: string) =>
    webpack({
      ...common(out),
      cache: { type: 'filesystem', cacheDirectory },
      module: { rules: [WEBPACK_TYPESCRIPT] },
      plugins: [sentryWebpack(options)],
    }),
  rspack: (options: PluginOptions, cacheDirectory: string, out: string) =>
    rspack({
      ...(common(out) as object),
      cache: { type: 'persistent', storage: { type: 'filesystem', directory: cacheDirectory } },
      module: { rules: [RSPACK_TYPESCRIPT] },
      plugins: [sentryRspack(options)],
    }),
}

function common(out: string) {
  return {
    mode: 'production' as const,
    context: FIXTURE_APP,
    target: 'web',
    entry: { main: './src/main.ts' },
    devtool: 'source-map' as const,
    output: { path: out, filename: '[name].js' },
    resolve: { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
    optimization: { minimize: false },
    infrastructureLogging: { level: 'none' as const },
  }
}

async function outputs(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const name of await readdir(dir)) files[name] = await readFile(join(dir, name), 'utf8')
  return files
}

describe.each(Object.keys(COMPILERS) as Array<keyof typeof COMPILERS>)('%s persistent cache', (bundler) => {
  let dir: string
  let dispose: (() => Promise<void>) | undefined

  beforeAll(async () => {
    await ensurePnpmStyleDependency()
    const out = await outputDir(`cache-${bundler}`)
    dir = out.dir
    dispose = out.dispose
  })

  afterAll(() => dispose?.())

  const build = async (options: PluginOptions, cache: string, out: string) => {
    await runWebpackLike(COMPILERS[bundler](options, join(dir, cache), join(dir, out)) as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
    return outputs(join(dir, out))
  }

  it('rebuilds what changed options rewrite differently: the same output as a fresh build', async () => {
    const first = await build(FIRST, 'shared-cache', 'first')
    const again = await build(FIRST, 'shared-cache', 'again')
    expect(again).toEqual(first)
    const changed = await build(CHANGED, 'shared-cache', 'changed')
    const fresh = await build(CHANGED, 'fresh-cache', 'fresh')
    expect(changed['main.js']).toContain('propagateTraceparent: true')
    expect(changed).toEqual(fresh)
    // Back to the first options: the first output again.
    expect(await build(FIRST, 'shared-cache', 'back')).toEqual(first)
  }, 120_000)

  it('reports every site from a warm cache too: modules served from it keep their sites', async () => {
    const report = join(dir, 'report.json')
    const reported = async (out: string) => {
      await build({ ...FIRST, report }, 'report-cache', out)
      return JSON.parse(await readFile(report, 'utf8')) as { summary: { sites: number; files: number } }
    }
    const cold = await reported('cold')
    const warm = await reported('warm')
    expect(cold.summary.sites).toBeGreaterThan(5)
    expect(warm).toEqual(cold)
  }, 120_000)
})
