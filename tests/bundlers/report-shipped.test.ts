/**
 * The report lists what ships: the call sites of the modules in the build's output.
 * A module the bundler tree-shakes away (imported, none of its exports used, no side
 * effects) was transformed like any other, yet none of its code ships: its sites are
 * left out, in every bundler. The unit is the module: a module that ships is listed
 * whole, a call in one of its functions that the bundler dropped included (README,
 * "Build report"). A server bundle is neither rewritten nor reported.
 */
import { rspack } from '@rspack/core'
import * as esbuild from 'esbuild'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build as rolldownBuild } from 'rolldown'
import { rollup } from 'rollup'
import { build as viteBuild, createLogger } from 'vite'
import webpack from 'webpack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import type { PluginOptions } from '../../plugin/options.js'
import type { Report } from '../../plugin/report.js'
import sentryRolldown from '../../plugin/rolldown.js'
import sentryRollup from '../../plugin/rollup.js'
import sentryRspack from '../../plugin/rspack.js'
import sentryVite from '../../plugin/vite.js'
import sentryWebpack from '../../plugin/webpack.js'
import { BUNDLERS, RSPACK_TYPESCRIPT, runWebpackLike, TS_EXTENSION_ALIAS, typescriptForRollup, WEBPACK_TYPESCRIPT, type Bundler, type WebpackLikeCompiler } from './helpers/builds.js'
import { outputDir } from './helpers/paths.js'

const SOURCES: Record<string, string> = {
  'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
  'src/main.js': "import { used } from './used.js'\nimport { unused } from './unused.js'\n\nused()\n",
  'src/used.js': "export function used() {\n  return fetch('/api/used')\n}\n\nexport function droppedFromUsed() {\n  return fetch('/api/dropped-from-used')\n}\n",
  'src/unused.js': "export function unused() {\n  return fetch('/api/unused')\n}\n",
}

let app: string
let dispose: (() => Promise<void>) | undefined

beforeAll(async () => {
  const out = await outputDir('report-shipped')
  app = out.dir
  dispose = out.dispose
  for (const [file, source] of Object.entries(SOURCES)) {
    await mkdir(join(app, file, '..'), { recursive: true })
    await writeFile(join(app, file), source)
  }
})

afterAll(async () => {
  await dispose?.()
})

const options = (report: string): PluginOptions => ({ tracePropagationTargets: [/^\/api/], sentry: false, report })

/** Each bundler's production build of the app into `outDir`, with the report written to `report`. */
const BUILDS: Record<Bundler, (outDir: string, report: string) => Promise<void>> = {
  async vite(outDir, report) {
    await viteBuild({
      root: app,
      configFile: false,
      envDir: false,
      logLevel: 'silent',
      cacheDir: join(outDir, '.vite'),
      plugins: [sentryVite(options(report))],
      build: { outDir, emptyOutDir: true, minify: false },
    })
  },
  async rollup(outDir, report) {
    const bundle = await rollup({ input: join(app, 'src/main.js'), plugins: [sentryRollup(options(report)), typescriptForRollup()], onLog: () => {} })
    try {
      await bundle.write({ dir: outDir, format: 'es' })
    } finally {
      await bundle.close()
    }
  },
  async rolldown(outDir, report) {
    await rolldownBuild({
      input: join(app, 'src/main.js'),
      cwd: app,
      platform: 'browser',
      logLevel: 'silent',
      resolve: { extensionAlias: TS_EXTENSION_ALIAS },
      plugins: [sentryRolldown(options(report))],
      output: { dir: outDir, format: 'es' },
    })
  },
  async esbuild(outDir, report) {
    const result = await esbuild.build({ absWorkingDir: app, entryPoints: ['src/main.js'], bundle: true, format: 'esm', outdir: outDir, logLevel: 'silent', plugins: [sentryEsbuild(options(report))] })
    // The plugin reads the metafile it asked for, and leaves the result as the build made it.
    expect(result.metafile).toBeUndefined()
  },
  async webpack(outDir, report) {
    const config = { ...webpackLikeConfig(outDir), module: { rules: [WEBPACK_TYPESCRIPT] }, plugins: [sentryWebpack(options(report))] }
    await runWebpackLike(webpack(config) as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
  },
  async rspack(outDir, report) {
    const config = { ...(webpackLikeConfig(outDir) as object), module: { rules: [RSPACK_TYPESCRIPT] }, plugins: [sentryRspack(options(report))] }
    await runWebpackLike(rspack(config) as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
  },
}

function webpackLikeConfig(outDir: string) {
  return {
    mode: 'production' as const,
    context: app,
    target: 'web',
    entry: './src/main.js',
    output: { path: outDir, filename: 'main.js' },
    // The runtime's TypeScript sources (the plugin runs from source here) import each other as `.js`.
    resolve: { extensions: ['.ts', '.js'], extensionAlias: TS_EXTENSION_ALIAS },
    optimization: { minimize: false },
    performance: false as const,
    infrastructureLogging: { level: 'none' as const },
  }
}

async function outputCode(dir: string): Promise<string> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.js'))
  return (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).join('\n')
}

describe.each(BUNDLERS)('%s', (bundler) => {
  it('reports the sites of the modules in the output, not those of a module tree-shaken away', async () => {
    const outDir = join(app, `dist-${bundler}`)
    const report = join(app, `report-${bundler}.json`)
    await BUILDS[bundler](outDir, report)
    const code = await outputCode(outDir)
    // The bundler did ship one module and drop the other.
    expect(code).toContain('/api/used')
    expect(code).not.toContain('/api/unused')
    const { summary, sites } = JSON.parse(await readFile(report, 'utf8')) as Report
    expect(sites.map(({ file, url }) => ({ file: file.replace(/^.*?(src\/)/, '$1'), url }))).toEqual([
      { file: 'src/used.js', url: '/api/used' },
      { file: 'src/used.js', url: '/api/dropped-from-used' },
    ])
    expect(summary).toEqual({ sites: 2, always: 2, runtime: 0, never: 0, files: 1 })
  })
})

it('esbuild: a build that asked for the metafile keeps it', async () => {
  const outDir = join(app, 'dist-esbuild-metafile')
  const result = await esbuild.build({ absWorkingDir: app, entryPoints: ['src/main.js'], bundle: true, format: 'esm', outdir: outDir, metafile: true, logLevel: 'silent', plugins: [sentryEsbuild(options(join(app, 'report-metafile.json')))] })
  expect(Object.keys(result.metafile?.inputs ?? {})).toContain('src/used.js')
  const { sites } = JSON.parse(await readFile(join(app, 'report-metafile.json'), 'utf8')) as Report
  expect(sites.map((site) => site.url)).toEqual(['/api/used', '/api/dropped-from-used'])
})

describe('Vite SSR build', () => {
  it('is not rewritten and not reported: no summary line, no warning, no report file', async () => {
    const outDir = join(app, 'dist-ssr')
    const report = join(app, 'report-ssr.json')
    const logged: string[] = []
    const logger = createLogger('info')
    logger.info = (message) => void logged.push(message)
    logger.warn = (message) => void logged.push(message)
    await viteBuild({
      root: app,
      configFile: false,
      envDir: false,
      customLogger: logger,
      plugins: [sentryVite(options(report))],
      build: { ssr: join(app, 'src/main.js'), outDir, emptyOutDir: true, minify: false },
    })
    expect(await outputCode(outDir)).toMatch(/\bfetch\(["']\/api\/used["']\)/)
    expect(logged.filter((line) => line.includes('unplugin-sentry-trace'))).toEqual([])
    expect(existsSync(report)).toBe(false)
  })
})
