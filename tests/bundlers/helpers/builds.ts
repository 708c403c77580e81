/**
 * The fixture app, built for real by each bundler with the plugin as users add it.
 * Every build writes classic scripts (IIFE, or webpack's own runtime) with external
 * source maps, so the test can run them in a DOM and read the maps.
 */

import { nodeResolve } from '@rollup/plugin-node-resolve'
import { rspack, type RspackOptions } from '@rspack/core'
import * as esbuild from 'esbuild'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { build as rolldownBuild } from 'rolldown'
import { rollup, type Plugin as RollupPlugin, type RollupLog } from 'rollup'
import { build as viteBuild, createLogger, type Logger as ViteLogger } from 'vite'
import webpack, { type Configuration as WebpackConfiguration } from 'webpack'
import sentryEsbuild from '../../../plugin/esbuild.js'
import type { PluginOptions } from '../../../plugin/options.js'
import type { Report } from '../../../plugin/report.js'
import sentryRolldown from '../../../plugin/rolldown.js'
import sentryRollup from '../../../plugin/rollup.js'
import sentryRspack from '../../../plugin/rspack.js'
import sentryVite from '../../../plugin/vite.js'
import sentryWebpack from '../../../plugin/webpack.js'
import { FIXTURE_APP, REPO_ROOT } from './paths.js'

export const BUNDLERS = ['vite', 'rollup', 'rolldown', 'esbuild', 'webpack', 'rspack'] as const
export type Bundler = (typeof BUNDLERS)[number]

/** What every build is given: same-origin `/api` calls and one partner API. */
// `sentry: false`: Rollup's root is the working directory, whose package.json (this
// repository's) lists @sentry/browser for the end-to-end tests; the fixture app has none.
export const PLUGIN_OPTIONS: PluginOptions = { tracePropagationTargets: [/^\/api/, 'api.example.test'], sentry: false }

export interface OutputFile {
  file: string
  code: string
  /** The source map, as written next to the file. */
  map: string
}

export interface BuildResult {
  bundler: Bundler
  /** The page's script: the entry built from `src/main.ts`. */
  main: OutputFile
  /** The build of `src/second-entry.ts`, where the bundler was given two entries. */
  second?: OutputFile
  /** What the bundler logged at info level, and its warnings (the plugin's among them). */
  info: string[]
  warnings: string[]
  /** The plugin's report, with files relative to the repository root. */
  report: Report
}

const require = createRequire(import.meta.url)

export async function buildFixture(bundler: Bundler, outDir: string, options: PluginOptions = PLUGIN_OPTIONS): Promise<BuildResult> {
  const logs = { info: [] as string[], warnings: [] as string[] }
  const withReport: PluginOptions = { ...options, report: join(outDir, 'report.json') }
  const outputs = await BUILDS[bundler](outDir, withReport, logs)
  const report = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as Report
  return { bundler, ...outputs, ...logs, report: relativeToRepository(report, outputs.root) }
}

export type Logs = { info: string[]; warnings: string[] }
type Outputs = { main: OutputFile; second?: OutputFile; root: string }

const BUILDS: Record<Bundler, (outDir: string, options: PluginOptions, logs: Logs) => Promise<Outputs>> = {
  async vite(outDir, options, logs) {
    await viteBuild({
      root: FIXTURE_APP,
      configFile: false,
      envDir: false,
      customLogger: capturingViteLogger(logs),
      cacheDir: join(outDir, '.vite'),
      plugins: [sentryVite(options)],
      build: { outDir, emptyOutDir: true, minify: false, sourcemap: true, reportCompressedSize: false },
    })
    // The HTML is Vite's entry: the page's script is whatever its module script points to.
    const html = await readFile(join(outDir, 'index.html'), 'utf8')
    const src = /<script type="module"[^>]* src="\/([^"]+)"/.exec(html)?.[1]
    if (!src) throw new Error(`no module script in the built index.html:\n${html}`)
    return { main: await readOutput(join(outDir, src)), root: FIXTURE_APP }
  },

  async rollup(outDir, options, logs) {
    const bundle = await rollup({
      input: join(FIXTURE_APP, 'src/main.ts'),
      plugins: [sentryRollup(options), typescriptForRollup(), nodeResolve({ browser: true, extensions: ['.mjs', '.js', '.ts'] })],
      onLog: (level, log) => capture(logs, level, log),
    })
    try {
      await bundle.write({ file: join(outDir, 'main.js'), format: 'iife', sourcemap: true })
    } finally {
      await bundle.close()
    }
    return { main: await readOutput(join(outDir, 'main.js')), root: REPO_ROOT }
  },

  async rolldown(outDir, options, logs) {
    await rolldownBuild({
      input: join(FIXTURE_APP, 'src/main.ts'),
      cwd: FIXTURE_APP,
      platform: 'browser',
      plugins: [sentryRolldown(options)],
      resolve: { extensionAlias: TS_EXTENSION_ALIAS },
      onLog: (level, log) => capture(logs, level, log),
      output: { file: join(outDir, 'main.js'), format: 'iife', sourcemap: true },
    })
    return { main: await readOutput(join(outDir, 'main.js')), root: FIXTURE_APP }
  },

  async esbuild(outDir, options, logs) {
    const info = console.info
    const warn = console.warn
    console.info = (message: string) => logs.info.push(message)
    console.warn = (message: string) => logs.warnings.push(message)
    try {
      const result = await esbuild.build({
        absWorkingDir: FIXTURE_APP,
        // The object form: `{ out: in }` (the array form is tested on its own).
        entryPoints: { main: 'src/main.ts', second: './src/second-entry' },
        bundle: true,
        format: 'iife',
        platform: 'browser',
        outdir: outDir,
        sourcemap: true,
        // The JS API's default (`warning`) hides info lines, the plugin's summary among them.
        logLevel: 'info',
        plugins: [sentryEsbuild(options)],
      })
      logs.warnings.push(...result.warnings.map((warning) => warning.text))
    } finally {
      console.info = info
      console.warn = warn
    }
    return { main: await readOutput(join(outDir, 'main.js')), second: await readOutput(join(outDir, 'second.js')), root: FIXTURE_APP }
  },

  async webpack(outDir, options, logs) {
    const config: WebpackConfiguration = {
      ...webpackLikeConfig(outDir, logs),
      module: { rules: [WEBPACK_TYPESCRIPT] },
      plugins: [sentryWebpack(options)],
    }
    await runWebpackLike(webpack(config), logs)
    return { main: await readOutput(join(outDir, 'main.js')), second: await readOutput(join(outDir, 'second.js')), root: FIXTURE_APP }
  },

  async rspack(outDir, options, logs) {
    const config: RspackOptions = {
      ...(webpackLikeConfig(outDir, logs) as RspackOptions),
      module: { rules: [RSPACK_TYPESCRIPT] },
      plugins: [sentryRspack(options)],
    }
    await runWebpackLike(rspack(config), logs)
    return { main: await readOutput(join(outDir, 'main.js')), second: await readOutput(join(outDir, 'second.js')), root: FIXTURE_APP }
  },
}

/** webpack has no TypeScript of its own: Babel strips the types, composing its map with the plugin's. */
export const WEBPACK_TYPESCRIPT = {
  test: /\.ts$/,
  use: {
    loader: require.resolve('babel-loader'),
    options: { babelrc: false, configFile: false, presets: [[require.resolve('@babel/preset-typescript'), {}]] },
  },
}

export const RSPACK_TYPESCRIPT = {
  test: /\.ts$/,
  loader: 'builtin:swc-loader',
  options: { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } },
  type: 'javascript/auto',
}

/** The runtime's TypeScript sources import each other as `.js` (Node's rule). */
export const TS_EXTENSION_ALIAS = { '.js': ['.ts', '.js'] }

function webpackLikeConfig(outDir: string, logs: Logs): WebpackConfiguration {
  return {
    mode: 'production',
    context: FIXTURE_APP,
    target: 'web',
    entry: { main: './src/main.ts', second: './src/second-entry.ts' },
    devtool: 'source-map',
    output: { path: outDir, filename: '[name].js' },
    resolve: { extensions: ['.ts', '.js'], extensionAlias: TS_EXTENSION_ALIAS },
    optimization: { minimize: false },
    performance: false,
    infrastructureLogging: {
      level: 'info',
      console: {
        ...console,
        info: (...args: unknown[]) => logs.info.push(args.join(' ')),
        log: (...args: unknown[]) => logs.info.push(args.join(' ')),
        warn: (...args: unknown[]) => logs.warnings.push(args.join(' ')),
      },
    },
  }
}

interface WebpackLikeStats {
  hasErrors(): boolean
  toJson(options: { all: false; errors: true; warnings: true }): { errors?: Array<{ message: string }>; warnings?: Array<{ message: string }> }
}

export interface WebpackLikeCompiler {
  run(callback: (error: Error | null, stats?: WebpackLikeStats) => void): void
  close(callback: (error?: Error | null) => void): void
}

export async function runWebpackLike(compiler: WebpackLikeCompiler, logs: Logs): Promise<void> {
  const stats = await new Promise<WebpackLikeStats | undefined>((done, fail) => compiler.run((error, stats) => (error ? fail(error) : done(stats))))
  await new Promise<void>((done) => compiler.close(() => done()))
  const json = stats?.toJson({ all: false, errors: true, warnings: true })
  logs.warnings.push(...(json?.warnings ?? []).map((warning) => warning.message))
  if (stats?.hasErrors()) throw new Error((json?.errors ?? []).map((error) => error.message).join('\n\n'))
}

/**
 * TypeScript for Rollup, which has none built in: esbuild strips the types (Rollup
 * composes its map with the plugin's), and `.js` imports find their `.ts` source.
 */
export function typescriptForRollup(): RollupPlugin {
  return {
    name: 'test:typescript',
    resolveId(source, importer) {
      if (!importer || !/^\.\.?\//.test(source) || !source.endsWith('.js')) return null
      const candidate = resolve(dirname(importer), `${source.slice(0, -3)}.ts`)
      return existsSync(candidate) ? candidate : null
    },
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null
      const result = await esbuild.transform(code, { loader: 'ts', sourcemap: true, sourcefile: id, format: 'esm' })
      return { code: result.code, map: result.map }
    },
  }
}

function capture(logs: Logs, level: string, log: RollupLog | { message: string }): void {
  if (level === 'warn') logs.warnings.push(log.message)
  else if (level === 'info') logs.info.push(log.message)
}

function capturingViteLogger(logs: Logs): ViteLogger {
  const logger = createLogger('info', { allowClearScreen: false })
  return {
    ...logger,
    info: (message) => void logs.info.push(message),
    warn: (message) => void logs.warnings.push(message),
    warnOnce: (message) => void logs.warnings.push(message),
  }
}

async function readOutput(file: string): Promise<OutputFile> {
  return { file, code: await readFile(file, 'utf8'), map: await readFile(`${file}.map`, 'utf8') }
}

/** Report files are relative to each bundler's root; make them comparable. */
function relativeToRepository(report: Report, root: string): Report {
  return {
    ...report,
    sites: report.sites.map((site) => ({ ...site, file: relative(REPO_ROOT, resolve(root, site.file)).replace(/\\/g, '/') })),
  }
}
