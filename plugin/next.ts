import { join } from 'node:path'
import { LOG_PREFIX, PACKAGE_NAME } from '../src/names.js'
import { OptionsError } from '../src/options.js'
import { optionsToJson, readSiteRecords, type NextLoaderOptions } from './next-shared.js'
import { checkReportTarget, resolvePluginOptions, type PluginOptions } from './options.js'
import { corsWarnings, summaryLine, writeReport } from './report.js'

/**
 * Options of `withSentryTrace`: those of the bundler plugins, but for `ssr` (Next.js
 * server code, Node and edge, is always left as written). `report` is resolved
 * against the project folder and written by `next build` (Turbopack and webpack);
 * `next dev` writes none.
 */
export type NextPluginOptions = Omit<PluginOptions, 'ssr'>

/** The part of a Next.js config this helper reads and extends (Next.js 15.3 and later). */
export interface NextConfigLike {
  distDir?: string
  turbopack?: { rules?: Record<string, unknown>; [key: string]: unknown }
  webpack?: ((config: WebpackConfigLike, context: WebpackContextLike) => WebpackConfigLike) | null
  compiler?: { runAfterProductionCompile?: (metadata: { projectDir: string; distDir: string }) => Promise<void>; [key: string]: unknown }
  [key: string]: unknown
}

interface WebpackConfigLike {
  module?: { rules?: unknown[]; [key: string]: unknown }
  [key: string]: unknown
}

interface WebpackContextLike {
  dev: boolean
  isServer: boolean
  /** `'nodejs'` or `'edge'` for server compilations, undefined for the browser's. */
  nextRuntime?: string
  [key: string]: unknown
}

/** A config as `next.config.*` may export it: an object, or a function of the phase. */
export type NextConfigInput<T extends NextConfigLike> = T | ((phase: string, context: { defaultConfig: NextConfigLike }) => T | Promise<T>)

/** The files the Turbopack rule applies to: every script flavour. */
const SCRIPT_GLOB = '*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'

/** The same for webpack's rule. */
const SCRIPT_FILE = /\.[cm]?[jt]sx?$/

/**
 * Next.js's own prebuilt bundles (React, its dev overlay): webpack output that
 * Turbopack does not analyse for `require`, so a rewritten one fails in the browser
 * (`require is not defined`, seen with the dev overlay in `next dev`).
 */
const NEXT_COMPILED = /[\\/]next[\\/]dist[\\/]compiled[\\/]/

/** The loader, by this package's export: resolved from the project like any loader named in a config. */
const LOADER = `${PACKAGE_NAME}/next/loader`

/** `withSentryTrace` (below), with its CommonJS face. */
export interface WithSentryTrace {
  <T extends NextConfigLike>(nextConfig: T, options?: NextPluginOptions): T
  <T extends NextConfigLike>(nextConfig: NextConfigInput<T>, options?: NextPluginOptions): NextConfigInput<T>
  /** The function itself, for `const { withSentryTrace } = require('unplugin-sentry-trace/next')`. */
  withSentryTrace: WithSentryTrace
}

function wrapConfig<T extends NextConfigLike>(nextConfig: NextConfigInput<T> = {} as T, options: NextPluginOptions = {}): NextConfigInput<T> {
  if (options !== null && typeof options === 'object' && 'ssr' in options) {
    throw new OptionsError(`${LOG_PREFIX} \`ssr\` is not an option of withSentryTrace: Next.js server code (Node and edge) is always left as written`)
  }
  resolvePluginOptions(options)
  const loaderOptions = optionsToJson(options)
  if (typeof nextConfig === 'function') {
    return async (phase, context) => extendConfig(await nextConfig(phase, context), options, loaderOptions)
  }
  return extendConfig(nextConfig, options, loaderOptions)
}

/**
 * Trace the browser code of a Next.js app, with
 * Turbopack (`next dev`, `next build`) and with webpack (`--webpack`):
 *
 * - Turbopack: a `turbopack.rules` entry runs this package's loader on scripts built
 *   for the browser (the `browser` condition), dependencies included;
 * - webpack: a rule of the browser compilation only runs the same loader.
 *
 * Server components, route handlers, middleware and server-side rendering (Node and
 * edge) are not rewritten, so nothing of the runtime or of a Sentry SDK reaches
 * server or edge bundles. `instrumentation-client.(js|ts)`, when the app has one,
 * reads the meta tags first thing. The report of `next build` is written once the
 * compile is done (`compiler.runAfterProductionCompile`, Next.js 15.4 and later).
 */
export const withSentryTrace = wrapConfig as WithSentryTrace
withSentryTrace.withSentryTrace = withSentryTrace

export default withSentryTrace

function extendConfig<T extends NextConfigLike>(nextConfig: T, options: NextPluginOptions, pluginJson: ReturnType<typeof optionsToJson>): T {
  if (nextConfig === null || typeof nextConfig !== 'object') throw new OptionsError(`${LOG_PREFIX} withSentryTrace takes the Next.js config object (or function) first`)
  // One records folder per bundler: each build reads those of its own.
  const records = (bundler: string) => join(nextConfig.distDir ?? '.next', 'cache', PACKAGE_NAME, bundler).replace(/\\/g, '/')
  const loader = (bundler: string): { loader: string; options: NextLoaderOptions } => ({ loader: LOADER, options: { plugin: pluginJson, records: records(bundler) } })
  const rule = { loaders: [loader('turbopack')], condition: { all: ['browser', { not: { path: NEXT_COMPILED } }] } }
  const rules = { ...nextConfig.turbopack?.rules }
  const existing = rules[SCRIPT_GLOB]
  rules[SCRIPT_GLOB] = existing === undefined ? rule : [...[existing].flat(), rule]

  const userWebpack = nextConfig.webpack
  const userAfterCompile = nextConfig.compiler?.runAfterProductionCompile

  return {
    ...nextConfig,
    turbopack: { ...nextConfig.turbopack, rules },
    webpack(config: WebpackConfigLike, context: WebpackContextLike) {
      const result = typeof userWebpack === 'function' ? userWebpack(config, context) : config
      // The browser compilation; server (`nodejs`) and edge ones are left alone. The same
      // loader as Turbopack's: Next.js replaces webpack's input file system, where
      // the bundler plugin's virtual module would be written. `pre`: it sees the source as written.
      if (!context.isServer && context.nextRuntime === undefined) {
        result.module ??= {}
        result.module.rules = [...(result.module.rules ?? []), { test: SCRIPT_FILE, exclude: NEXT_COMPILED, enforce: 'pre', use: [loader('webpack')] }]
      }
      return result
    },
    compiler: {
      ...nextConfig.compiler,
      async runAfterProductionCompile(metadata: { projectDir: string; distDir: string }) {
        await userAfterCompile?.(metadata)
        await finishBuild(metadata.projectDir, records(process.env.TURBOPACK ? 'turbopack' : 'webpack'), options)
      },
    },
  }
}

/** The end of a production build: what the loader recorded, summed up and reported as the bundler plugins do. */
async function finishBuild(projectDir: string, records: string, options: NextPluginOptions): Promise<void> {
  const { report } = options
  const summary = readSiteRecords(projectDir, records).report(projectDir)
  console.info(`${LOG_PREFIX} ${summaryLine(summary)}`)
  for (const warning of corsWarnings(summary, options.propagateTraceparent ?? false)) console.warn(`${LOG_PREFIX} ${warning}`)
  if (report !== undefined) {
    checkReportTarget(projectDir, report)
    await writeReport(projectDir, report, summary)
  }
}

/** What `require()` of this entry returns (Node's require of an ES module): the function, as the other entries give their plugin. */
export { withSentryTrace as 'module.exports' }
