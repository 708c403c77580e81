/**
 * One production build, in a process of its own as a user's build would be: the
 * bundler and (for the plugin variant) the plugin are imported inside the timed
 * span, so loading the plugin and its parser counts against it.
 * Prints `{"ms": ...}` on stdout.
 */

import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { Plugin as EsbuildPlugin } from 'esbuild'
import { BENCH_TARGETS } from '../targets.js'

export type Bundler = 'vite' | 'webpack' | 'esbuild'

/**
 * `floor`: the least a JS transform plugin costs. esbuild: an onLoad that reads every
 * script file (synchronously, as the plugin's own onLoad does) and hands it back
 * untouched. Vite: a transform hook, natively filtered by id only, that
 * returns null, as our entry hook is (it cannot filter on code: an entry may have no
 * call site).
 */
export type Variant = 'bare' | 'plugin' | 'floor'

export interface BuildJob {
  bundler: Bundler
  variant: Variant
  appDir: string
  outDir: string
  /** The compiled package (bench/.tmp/dist). */
  compiledDir: string
  /** The compiled ts-loader, for webpack. */
  loader: string
  /** Plugin option `report`, for the untimed coverage build. */
  report?: string
}

const OPTIONS = { tracePropagationTargets: BENCH_TARGETS }

async function loadPlugin(job: BuildJob): Promise<unknown[]> {
  if (job.variant === 'floor') return [job.bundler === 'vite' ? viteFloorPlugin : esbuildFloorPlugin]
  if (job.variant === 'bare') return []
  const module = (await import(pathToFileURL(`${job.compiledDir}/plugin/${job.bundler}.js`).href)) as { default: (options: object) => unknown }
  return [module.default({ ...OPTIONS, ...(job.report ? { report: job.report } : {}) })]
}

const viteFloorPlugin = {
  name: 'see-every-script',
  transform: { filter: { id: /\.[cm]?[jt]sx?$/ }, handler: () => null },
}

const esbuildFloorPlugin: EsbuildPlugin = {
  name: 'read-every-script',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      readFileSync(args.path, 'utf8')
      return undefined
    })
  },
}

async function build(job: BuildJob): Promise<void> {
  switch (job.bundler) {
    case 'vite': {
      const { build } = await import('vite')
      const plugins = (await loadPlugin(job)) as import('vite').PluginOption[]
      await build({
        root: job.appDir,
        configFile: false,
        logLevel: 'silent',
        plugins,
        build: { outDir: job.outDir, emptyOutDir: true, sourcemap: true },
      })
      return
    }
    case 'webpack': {
      const { default: webpack } = await import('webpack')
      const plugins = (await loadPlugin(job)) as import('webpack').WebpackPluginInstance[]
      const compiler = webpack({
        mode: 'production',
        context: job.appDir,
        entry: './src/main.ts',
        output: { path: job.outDir, clean: true },
        devtool: 'source-map',
        resolve: { extensions: ['.ts', '...'] },
        module: { rules: [{ test: /\.ts$/, exclude: /node_modules/, loader: job.loader }] },
        plugins,
        infrastructureLogging: { level: 'none' },
        performance: { hints: false },
      })
      await new Promise<void>((resolve, reject) => {
        compiler.run((error, stats) => {
          compiler.close(() => {
            if (error) reject(error)
            else if (stats?.hasErrors()) reject(new Error(stats.toString('errors-only')))
            else resolve()
          })
        })
      })
      return
    }
    case 'esbuild': {
      const esbuild = await import('esbuild')
      const plugins = (await loadPlugin(job)) as import('esbuild').Plugin[]
      await esbuild.build({
        absWorkingDir: job.appDir,
        entryPoints: ['src/main.ts'],
        outdir: job.outDir,
        bundle: true,
        minify: true,
        sourcemap: true,
        format: 'esm',
        platform: 'browser',
        logLevel: 'silent',
        plugins,
      })
      return
    }
  }
}

const job = JSON.parse(process.argv[2]!) as BuildJob
const start = performance.now()
await build(job)
const ms = performance.now() - start
// Exit at once: a bundler's idle handles (esbuild's service, watchers) must not hold the process.
process.stdout.write(JSON.stringify({ ms }) + '\n', () => process.exit(0))
