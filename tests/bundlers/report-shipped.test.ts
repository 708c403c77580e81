/**
 * The report lists what ships: the call sites of the modules in the build's output.
 * A module the bundler tree-shakes away (imported, none of its exports used, no side
 * effects) was transformed like any other, yet none of its code ships: its sites are
 * left out, in every bundler. The unit is the module: a module that ships is listed
 * whole, a call in one of its functions that the bundler dropped included (README,
 * "Build report"). A server bundle is neither rewritten nor reported.
 */
import { transformSync } from '@babel/core'
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

/**
 * A framework that builds one file under several ids (React Router: `route.tsx?route-chunk=main`,
 * `?route-chunk=clientLoader`) and takes code out of each after this plugin rewrote it
 * (React Router's client build: `loader`, with Babel, source map included). The test's
 * plugin does the same: `split.js?part=a` keeps `a` and `both`, `?part=b` keeps `b` and
 * `both`; `serverOnly` is in neither.
 */
describe('one file built under several ids, with code taken out after the rewrite', () => {
  const SPLIT_SOURCES: Record<string, string> = {
    'src/split.js':
      "export function a() {\n  return fetch('/api/a')\n}\n\nexport function b() {\n  return fetch('/api/b')\n}\n\n" +
      "export function both() {\n  return fetch('/api/both')\n}\n\nexport function serverOnly() {\n  return fetch('/api/server-only')\n}\n",
    'src/split-main.js': "import { a, both } from './split.js?part=a'\nimport { b, both as both2 } from './split.js?part=b'\n\na()\nb()\nboth()\nboth2()\n",
  }
  const KEEP: Record<string, string[]> = { a: ['a', 'both'], b: ['b', 'both'] }

  /** Loads `split.js?part=...` and, as a plugin after this one (no `enforce`), removes the other part's exports, with a source map. */
  const splitter = () => ({
    name: 'test:split',
    resolveId(source: string, importer?: string) {
      return importer && source.startsWith('./split.js?part=') ? join(app, 'src', source.slice(2)) : null
    },
    async load(id: string) {
      return /[\\/]split\.js\?part=/.test(id) ? readFile(id.replace(/\?.*$/, ''), 'utf8') : null
    },
    transform(code: string, id: string) {
      const part = /[\\/]split\.js\?part=(\w+)$/.exec(id)?.[1]
      if (!part) return null
      const kept = KEEP[part]!
      const result = transformSync(code, {
        filename: id.replace(/\?.*$/, ''),
        configFile: false,
        babelrc: false,
        sourceMaps: true,
        plugins: [
          () => ({
            visitor: {
              ExportNamedDeclaration(path: { node: { declaration?: { id?: { name: string } } | null }; remove(): void }) {
                const name = path.node.declaration?.id?.name
                if (name && !kept.includes(name)) path.remove()
              },
            },
          }),
        ],
      })
      return { code: result!.code!, map: result!.map }
    },
  })

  beforeAll(async () => {
    for (const [file, source] of Object.entries(SPLIT_SOURCES)) await writeFile(join(app, file), source)
  })

  const SPLIT_BUILDS = {
    async vite(outDir: string, report: string) {
      await viteBuild({
        root: app,
        configFile: false,
        envDir: false,
        logLevel: 'silent',
        cacheDir: join(outDir, '.vite'),
        plugins: [sentryVite(options(report)), splitter()],
        build: { outDir, emptyOutDir: true, minify: false, rollupOptions: { input: join(app, 'src/split-main.js') } },
      })
    },
    async rollup(outDir: string, report: string) {
      const bundle = await rollup({ input: join(app, 'src/split-main.js'), plugins: [sentryRollup(options(report)), typescriptForRollup(), splitter()], onLog: () => {} })
      try {
        await bundle.write({ dir: outDir, format: 'es' })
      } finally {
        await bundle.close()
      }
    },
    async rolldown(outDir: string, report: string) {
      await rolldownBuild({
        input: join(app, 'src/split-main.js'),
        cwd: app,
        platform: 'browser',
        logLevel: 'silent',
        resolve: { extensionAlias: TS_EXTENSION_ALIAS },
        plugins: [sentryRolldown(options(report)), splitter()],
        output: { dir: outDir, format: 'es' },
      })
    },
  }

  it.each(Object.keys(SPLIT_BUILDS) as Array<keyof typeof SPLIT_BUILDS>)('%s: one entry per call site, under the file; a call taken out is not listed', async (bundler) => {
    const outDir = join(app, `dist-split-${bundler}`)
    const report = join(app, `report-split-${bundler}.json`)
    await SPLIT_BUILDS[bundler](outDir, report)
    const code = await outputCode(outDir)
    // The bundle holds every part's calls (rewritten), and not the one taken out.
    for (const url of ['/api/a', '/api/b', '/api/both']) expect(code).toContain(url)
    expect(code).not.toContain('/api/server-only')
    const { summary, sites } = JSON.parse(await readFile(report, 'utf8')) as Report
    expect(sites.map(({ file, line, url }) => ({ file: file.replace(/^.*?(src\/)/, '$1'), line, url }))).toEqual([
      { file: 'src/split.js', line: 2, url: '/api/a' },
      { file: 'src/split.js', line: 6, url: '/api/b' },
      { file: 'src/split.js', line: 10, url: '/api/both' },
    ])
    expect(summary).toEqual({ sites: 3, always: 3, runtime: 0, never: 0, files: 1 })
  })
})

describe('a later plugin whose source map marks only where each line starts', () => {
  /** Puts a line before the code of `used.js`, with a map of one segment per line, at its start (in front of the indentation). */
  const lineStarts = () => ({
    name: 'test:line-starts',
    transform(code: string, id: string) {
      if (!id.endsWith('used.js') || id.endsWith('unused.js')) return null
      const lines = code.split('\n').length
      return { code: `console.log('line-starts')\n${code}`, map: { version: 3, sources: [id], sourcesContent: [code], names: [], mappings: `;AAAA${';AACA'.repeat(lines - 1)}` } }
    },
  })

  it.each(['vite', 'rollup', 'rolldown'] as const)('%s: every call of a line that keeps code is listed', async (bundler) => {
    const outDir = join(app, `dist-line-starts-${bundler}`)
    const report = join(app, `report-line-starts-${bundler}.json`)
    if (bundler === 'vite') {
      await viteBuild({ root: app, configFile: false, envDir: false, logLevel: 'silent', cacheDir: join(outDir, '.vite'), plugins: [sentryVite(options(report)), lineStarts()], build: { outDir, emptyOutDir: true, minify: false } })
    } else if (bundler === 'rollup') {
      const bundle = await rollup({ input: join(app, 'src/main.js'), plugins: [sentryRollup(options(report)), typescriptForRollup(), lineStarts()], onLog: () => {} })
      try {
        await bundle.write({ dir: outDir, format: 'es' })
      } finally {
        await bundle.close()
      }
    } else {
      await rolldownBuild({ input: join(app, 'src/main.js'), cwd: app, platform: 'browser', logLevel: 'silent', resolve: { extensionAlias: TS_EXTENSION_ALIAS }, plugins: [sentryRolldown(options(report)), lineStarts()], output: { dir: outDir, format: 'es' } })
    }
    expect(await outputCode(outDir)).toContain('line-starts')
    const { sites } = JSON.parse(await readFile(report, 'utf8')) as Report
    expect(sites.map(({ file, url }) => ({ file: file.replace(/^.*?(src\/)/, '$1'), url }))).toEqual([
      { file: 'src/used.js', url: '/api/used' },
      { file: 'src/used.js', url: '/api/dropped-from-used' },
    ])
  })
})
