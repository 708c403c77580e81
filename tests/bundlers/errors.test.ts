/**
 * A module that does not parse fails the build through each bundler's own error
 * API, located at its file, line and column (before any TypeScript loader sees it).
 */

import { rspack } from '@rspack/core'
import * as esbuild from 'esbuild'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Plugin as RolldownPlugin } from 'rolldown'
import { build as rolldownBuild } from 'rolldown'
import { rollup } from 'rollup'
import { build as viteBuild } from 'vite'
import webpack from 'webpack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import sentryRolldown from '../../plugin/rolldown.js'
import sentryRollup from '../../plugin/rollup.js'
import sentryRspack from '../../plugin/rspack.js'
import sentryVite from '../../plugin/vite.js'
import sentryWebpack from '../../plugin/webpack.js'
import { runWebpackLike, RSPACK_TYPESCRIPT, typescriptForRollup, WEBPACK_TYPESCRIPT, type WebpackLikeCompiler } from './helpers/builds.js'
import { outputDir, REPO_ROOT } from './helpers/paths.js'

const BROKEN_DIR = join(REPO_ROOT, 'tests/bundlers/fixtures/broken')
const BROKEN = join(BROKEN_DIR, 'bad.ts')
/** Where Babel's parser stops in bad.ts: line 4, column 42 (0-based). */
const LOCATION = { line: 4, column: 42 }

interface Located {
  message: string
  loc?: { file?: string; line: number; column: number }
  frame?: string
  plugin?: string
}

async function rejection(build: Promise<unknown>): Promise<Located> {
  const error = await build.then(
    () => undefined,
    (error: unknown) => error as Located,
  )
  expect(error, 'the build must fail').toBeDefined()
  return error!
}

describe('a module that does not parse', () => {
  let outDir: string
  let dispose: (() => Promise<void>) | undefined

  beforeAll(async () => {
    const out = await outputDir('errors')
    outDir = out.dir
    dispose = out.dispose
  })

  afterAll(() => dispose?.())

  it('fails a Rollup build with the location and a code frame', async () => {
    const error = await rejection(rollup({ input: BROKEN, plugins: [sentryRollup(), typescriptForRollup()] }))
    expect(error.plugin).toBe('unplugin-sentry-trace')
    expect(error.loc).toEqual({ file: BROKEN, ...LOCATION })
    expect(error.message).toContain('Missing semicolon')
    expect(error.frame).toContain("> 4 | export const broken = fetch('/api/broken'))")
    expect((error as Located & { pluginCode?: string }).pluginCode).toBe('SENTRY_TRACE_TRANSFORM_FAILED')
  })

  it('fails a Rolldown build with the location', async () => {
    const error = await rejection(rolldownBuild({ input: BROKEN, write: false, logLevel: 'silent', plugins: [sentryRolldown()] }))
    // Rollup's convention: 1-based line, 0-based column, then the frame.
    expect(error.message).toContain(`[plugin unplugin-sentry-trace] ${BROKEN}:4:42`)
    expect(error.message).toContain('Missing semicolon')
    expect(error.message).toContain("> 4 | export const broken = fetch('/api/broken'))")
  })

  it('fails a Vite build with the location', async () => {
    const error = await rejection(
      viteBuild({
        root: BROKEN_DIR,
        configFile: false,
        envDir: false,
        logLevel: 'silent',
        plugins: [sentryVite()],
        build: { outDir, write: false, rolldownOptions: { input: BROKEN } },
      }),
    )
    expect(error.message).toContain(`[plugin unplugin-sentry-trace] ${BROKEN}:4:42`)
    expect(error.message).toContain('Missing semicolon')
    expect(error.message).toContain("> 4 | export const broken = fetch('/api/broken'))")
  })

  it('fails an esbuild build with an error located in the file', async () => {
    const result = await rejection(
      esbuild.build({ absWorkingDir: BROKEN_DIR, entryPoints: ['bad.ts'], bundle: true, write: false, logLevel: 'silent', plugins: [sentryEsbuild()] }),
    )
    const [error] = (result as unknown as esbuild.BuildFailure).errors
    expect(error?.text).toBe('Missing semicolon.')
    expect(error?.pluginName).toBe('unplugin-sentry-trace')
    // esbuild prints the file relative to its working directory.
    expect(error?.location).toMatchObject({ file: 'bad.ts', ...LOCATION })
    expect(error?.detail?.code).toBe('SENTRY_TRACE_TRANSFORM_FAILED')
    expect(error?.location?.lineText).toBe("export const broken = fetch('/api/broken'))")
  })

  it('fails a dependency in Vite dev pre-bundling with the location and the code frame', async () => {
    // The pre-bundle plugin Vite 8's dev server hands to its optimizer (its config hook's context names Rolldown).
    const [main] = [sentryVite()].flat() as Array<{ config(this: unknown, config: object, env: { command: string }): { optimizeDeps: { rolldownOptions: { plugins: RolldownPlugin[] } } } }>
    const [dependencies] = main!.config.call({ meta: { rolldownVersion: '1.0.0' } }, {}, { command: 'serve' }).optimizeDeps.rolldownOptions.plugins
    const code = await readFile(BROKEN, 'utf8')
    let raised: (Located & { code?: string }) | undefined
    const context = { error: (error: Located) => { raised = error; throw new Error(error.message) } }
    const transform = dependencies!.transform as { handler(this: unknown, code: string, id: string): unknown }
    expect(() => transform.handler.call(context, code, BROKEN)).toThrow('Missing semicolon')
    expect(raised?.loc).toEqual({ file: BROKEN, ...LOCATION })
    expect(raised?.frame).toContain("> 4 | export const broken = fetch('/api/broken'))")
    expect(raised?.code).toBe('SENTRY_TRACE_TRANSFORM_FAILED')
  })

  it("fails a dependency in Vite 5-7's esbuild pre-bundling with an error located in the file", async () => {
    // Vite 5 and 6 call the config hook without a context, 7 with one that names no Rolldown.
    const [main] = [sentryVite()].flat() as Array<{ config(this: unknown, config: object, env: { command: string }): { optimizeDeps: { esbuildOptions: { plugins: esbuild.Plugin[] } } } }>
    const { plugins } = main!.config.call(undefined, {}, { command: 'serve' }).optimizeDeps.esbuildOptions
    const result = await rejection(esbuild.build({ absWorkingDir: BROKEN_DIR, entryPoints: ['bad.ts'], bundle: true, write: false, logLevel: 'silent', plugins }))
    const [error] = (result as unknown as esbuild.BuildFailure).errors
    expect(error?.text).toContain('Missing semicolon')
    expect(error?.location).toMatchObject({ file: 'bad.ts', ...LOCATION })
    expect(error?.detail?.code).toBe('SENTRY_TRACE_TRANSFORM_FAILED')
  })

  it.each([
    ['webpack', () => webpack({ ...webpackLike(outDir), module: { rules: [WEBPACK_TYPESCRIPT] }, plugins: [sentryWebpack()] })],
    ['rspack', () => rspack({ ...(webpackLike(outDir) as object), module: { rules: [RSPACK_TYPESCRIPT] }, plugins: [sentryRspack()] })],
  ] as const)('fails a %s build with the module, line and column', async (_name, compiler) => {
    const error = await rejection(runWebpackLike(compiler() as unknown as WebpackLikeCompiler, { info: [], warnings: [] }))
    expect(error.message).toContain(`${BROKEN}:4:43: Missing semicolon.`)
    expect(error.message).toContain("> 4 | export const broken = fetch('/api/broken'))")
  })
})

function webpackLike(outDir: string) {
  return {
    mode: 'production' as const,
    context: BROKEN_DIR,
    entry: './bad.ts',
    output: { path: outDir },
    infrastructureLogging: { level: 'none' as const },
  }
}
