/**
 * Every scenario built for real, once as it is ("original") and once with the
 * plugin ("rewritten"), by Vite (an HTML page per scenario, ES modules), webpack and
 * esbuild (a classic script per scenario). A failure belongs to the scenarios that
 * cause it: webpack names the entries of a module it could not build; a Vite or
 * esbuild build that fails is split in halves and retried.
 */

import * as esbuild from 'esbuild'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build as viteBuild } from 'vite'
import webpack, { type WebpackError } from 'webpack'
import sentryEsbuild from '../../../plugin/esbuild.js'
import type { PluginOptions as Options } from '../../../plugin/options.js'
import sentryVite from '../../../plugin/vite.js'
import sentryWebpack from '../../../plugin/webpack.js'
import { TS_EXTENSION_ALIAS, WEBPACK_TYPESCRIPT } from '../../bundlers/helpers/builds.js'

export const BUNDLERS = ['vite', 'webpack', 'esbuild'] as const
export type Bundler = (typeof BUNDLERS)[number]

export const MODES = ['original', 'rewritten'] as const
export type Mode = (typeof MODES)[number]

export const SCENARIOS_DIR = fileURLToPath(new URL('../scenarios', import.meta.url))

/** One same-origin prefix is a target, the other is not. */
export const PLUGIN_OPTIONS: Options = { tracePropagationTargets: [/^\/api/], sentry: false }

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
export const PARENT_SPAN_ID = '00f067aa0ba902b7'
export const META_BAGGAGE = `sentry-trace_id=${TRACE_ID},sentry-environment=transparency,sentry-sample_rate=1,sentry-sampled=true,sentry-sample_rand=0.42`

/** The scenarios: every `.js` file at the top of the scenarios folder (shared code lives in `lib/`). */
export async function listScenarios(): Promise<string[]> {
  const files = await readdir(SCENARIOS_DIR, { withFileTypes: true })
  return files
    .filter((file) => file.isFile() && file.name.endsWith('.js'))
    .map((file) => file.name.slice(0, -3))
    .sort()
}

export interface ScenarioBuild {
  /** The folder served as the page's origin. */
  dir: string
  /** The page, relative to `dir`. */
  page: string
  /** Why the build of this scenario failed (then there is nothing to serve). */
  error?: string
}

/** The page of a scenario: the server's trace, continued by the page's requests. */
export function pageHtml(scenario: string, script: string): string {
  return [
    '<!doctype html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    `<meta name="sentry-trace" content="${TRACE_ID}-${PARENT_SPAN_ID}-1">`,
    `<meta name="baggage" content="${META_BAGGAGE}">`,
    `<title>${scenario}</title>`,
    '</head>',
    '<body>',
    script,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** A build of several scenarios; where it can tell, the scenarios it failed, with why. */
type GroupBuild = (scenarios: string[], outDir: string, options: Options | undefined) => Promise<Map<string, string> | void>

/**
 * Builds `scenarios` with `bundler` into folders under `outRoot`; where a build
 * fails, halves of it are built on their own until the failing scenarios are found.
 */
export async function buildScenarios(bundler: Bundler, mode: Mode, scenarios: string[], outRoot: string): Promise<Map<string, ScenarioBuild>> {
  const options = mode === 'rewritten' ? PLUGIN_OPTIONS : undefined
  const builds = new Map<string, ScenarioBuild>()
  let count = 0
  const attempt = async (group: string[]): Promise<void> => {
    const dir = join(outRoot, `${bundler}-${mode}-${count++}`)
    try {
      const failed = await GROUP_BUILDS[bundler](group, dir, options)
      for (const scenario of group) builds.set(scenario, { dir, page: `${scenario}.html`, error: failed?.get(scenario) })
    } catch (error) {
      await rm(dir, { recursive: true, force: true })
      if (group.length === 1) {
        builds.set(group[0]!, { dir, page: `${group[0]}.html`, error: errorText(error) })
        return
      }
      const half = Math.ceil(group.length / 2)
      await attempt(group.slice(0, half))
      await attempt(group.slice(half))
    }
  }
  await attempt(scenarios)
  return builds
}

const GROUP_BUILDS: Record<Bundler, GroupBuild> = {
  /** An app of many pages: one HTML entry per scenario, written next to each other in a site folder. */
  async vite(scenarios, outDir, options) {
    const site = `${outDir}-site`
    await mkdir(site, { recursive: true })
    const input: Record<string, string> = {}
    for (const scenario of scenarios) {
      const script = relative(site, join(SCENARIOS_DIR, `${scenario}.js`)).replace(/\\/g, '/')
      input[scenario] = join(site, `${scenario}.html`)
      await writeFile(input[scenario]!, pageHtml(scenario, `<script type="module" src="${script}"></script>`))
    }
    try {
      await viteBuild({
        root: site,
        configFile: false,
        envDir: false,
        publicDir: false,
        logLevel: 'silent',
        cacheDir: join(outDir, '.vite'),
        plugins: options ? [sentryVite(options)] : [],
        build: { outDir, emptyOutDir: true, minify: false, reportCompressedSize: false, rolldownOptions: { input } },
      })
    } finally {
      await rm(site, { recursive: true, force: true })
    }
  },

  /** A module webpack cannot build fails the entries that include it, not the others. */
  async webpack(scenarios, outDir, options) {
    const compiler = webpack({
      mode: 'production',
      context: SCENARIOS_DIR,
      target: 'web',
      entry: Object.fromEntries(scenarios.map((scenario) => [scenario, `./${scenario}.js`])),
      output: { path: outDir, filename: '[name].js' },
      devtool: false,
      // The runtime, when the plugin runs from this repository, is TypeScript.
      module: { rules: [WEBPACK_TYPESCRIPT] },
      resolve: { extensionAlias: TS_EXTENSION_ALIAS },
      optimization: { minimize: false, emitOnErrors: true },
      performance: false,
      infrastructureLogging: { level: 'none' },
      plugins: options ? [sentryWebpack(options)] : [],
    })
    const failed = new Map<string, string>()
    try {
      await new Promise<void>((resolve, reject) =>
        compiler.run((error, stats) => {
          if (error || !stats) return reject(error ?? new Error('webpack gave no stats'))
          const { errors, chunkGraph } = stats.compilation
          for (const problem of errors as WebpackError[]) {
            const { module } = problem
            const chunks = module ? [...chunkGraph.getModuleChunks(module)] : []
            if (!module || !chunks.length) return reject(problem)
            const message = `${module.readableIdentifier(stats.compilation.requestShortener)}: ${problem.message.split('\n')[0]}`
            for (const chunk of chunks) if (chunk.name && !failed.has(chunk.name)) failed.set(chunk.name, message)
          }
          resolve()
        }),
      )
    } finally {
      await new Promise<void>((resolve) => compiler.close(() => resolve()))
    }
    await writeClassicPages(scenarios, outDir)
    return failed
  },

  async esbuild(scenarios, outDir, options) {
    await esbuild.build({
      absWorkingDir: SCENARIOS_DIR,
      entryPoints: scenarios.map((scenario) => ({ in: `./${scenario}.js`, out: scenario })),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      outdir: outDir,
      logLevel: 'silent',
      // The app's own settings, not this repository's tsconfig (whose `strict` would make every file strict).
      tsconfigRaw: {},
      plugins: options ? [sentryEsbuild(options)] : [],
    })
    await writeClassicPages(scenarios, outDir)
  },
}

async function writeClassicPages(scenarios: string[], outDir: string): Promise<void> {
  for (const scenario of scenarios) {
    await writeFile(join(outDir, `${scenario}.html`), pageHtml(scenario, `<script src="/${scenario}.js"></script>`))
  }
}

function errorText(error: unknown): string {
  // esbuild: `errors` with `text` and `location`; Rolldown (Vite): `errors` with `message`.
  type BuildError = { text?: string; message?: string; id?: string; location?: { file: string; line: number } | null }
  const errors = (error as { errors?: BuildError[] }).errors
  const first = Array.isArray(errors) ? errors[0] : undefined
  if (first?.location) return `${first.location.file}:${first.location.line}: ${first.text}`
  const where = first?.id ? `${relative(SCENARIOS_DIR, first.id)}: ` : ''
  const message = where + (first?.text ?? first?.message ?? (error instanceof Error ? error.message : String(error)))
  // Without the terminal colours.
  return message.replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, 6).join('\n')
}
