/**
 * The same project in two folders builds to the same bytes, source maps included:
 * the fixture app, with this package installed in it (its built `dist/`), copied to
 * two folders and built there by each bundler. Without the plugin the builds are
 * equal too: that is what the plugin must keep.
 */

import { rspack } from '@rspack/core'
import * as esbuild from 'esbuild'
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build as rolldownBuild } from 'rolldown'
import { rollup } from 'rollup'
import { build as viteBuild } from 'vite'
import webpack from 'webpack'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLERS, runWebpackLike, RSPACK_TYPESCRIPT, typescriptForRollup, WEBPACK_TYPESCRIPT, type Bundler, type WebpackLikeCompiler } from './helpers/builds.js'
import { FIXTURE_APP, REPO_ROOT } from './helpers/paths.js'
import { ensurePnpmStyleDependency } from './helpers/pnpm-layout.js'

type PluginFactory = (options?: object) => unknown
const OPTIONS = { tracePropagationTargets: [/^\/api/, 'api.example.test'], sentry: false }
const BASE = join(REPO_ROOT, 'tests/.tmp/reproducible')
/** Two folders of the same depth: the dependencies outside the app are reached by the same relative paths. */
const COPIES = ['first-copy', 'other-copy'].map((name) => join(BASE, name, 'app'))

async function install(app: string): Promise<void> {
  await cp(FIXTURE_APP, app, { recursive: true, verbatimSymlinks: true })
  const installed = join(app, 'node_modules/unplugin-sentry-trace')
  await mkdir(installed, { recursive: true })
  await cp(join(REPO_ROOT, 'package.json'), join(installed, 'package.json'))
  await cp(join(REPO_ROOT, 'dist'), join(installed, 'dist'), { recursive: true })
}

async function plugin(app: string, bundler: Bundler): Promise<PluginFactory> {
  const entry = join(app, 'node_modules/unplugin-sentry-trace/dist/plugin', `${bundler}.js`)
  return ((await import(pathToFileURL(entry).href)) as { default: PluginFactory }).default
}

/** Every file the build wrote, by path relative to its output folder. */
async function outputs(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files[relative(dir, path)] = await readFile(path, 'utf8')
  }
  return files
}

const BUILDS: Record<Bundler, (app: string, out: string, plugins: unknown[]) => Promise<void>> = {
  async vite(app, out, plugins) {
    await viteBuild({
      root: app,
      configFile: false,
      envDir: false,
      logLevel: 'silent',
      cacheDir: join(out, '.vite'),
      plugins: plugins as never,
      build: { outDir: join(out, 'dist'), emptyOutDir: true, minify: false, sourcemap: true },
    })
    await rm(join(out, '.vite'), { recursive: true, force: true })
  },
  async rollup(app, out, plugins) {
    const bundle = await rollup({
      input: join(app, 'src/main.ts'),
      plugins: [...(plugins as never[]), typescriptForRollup(), nodeResolve({ browser: true, extensions: ['.mjs', '.js', '.ts'] })],
      onLog: () => undefined,
    })
    await bundle.write({ file: join(out, 'main.js'), format: 'iife', sourcemap: true })
    await bundle.close()
  },
  async rolldown(app, out, plugins) {
    await rolldownBuild({
      input: join(app, 'src/main.ts'),
      cwd: app,
      platform: 'browser',
      logLevel: 'silent',
      plugins: plugins as never,
      resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
      output: { file: join(out, 'main.js'), format: 'iife', sourcemap: true },
    })
  },
  async esbuild(app, out, plugins) {
    await esbuild.build({
      absWorkingDir: app,
      entryPoints: ['src/main.ts', 'src/second-entry.ts'],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      outdir: out,
      sourcemap: true,
      logLevel: 'silent',
      plugins: plugins as esbuild.Plugin[],
    })
  },
  async webpack(app, out, plugins) {
    await runWebpackLike(webpack(webpackLike(app, out, WEBPACK_TYPESCRIPT, plugins) as webpack.Configuration) as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
  },
  async rspack(app, out, plugins) {
    await runWebpackLike(rspack(webpackLike(app, out, RSPACK_TYPESCRIPT, plugins) as never) as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
  },
}

/** Development mode: module ids are paths there, and every module is shown by name. */
function webpackLike(app: string, out: string, typescript: object, plugins: unknown[]): object {
  return {
    mode: 'development',
    context: app,
    target: 'web',
    entry: { main: './src/main.ts', second: './src/second-entry.ts' },
    devtool: 'source-map',
    output: { path: out, filename: '[name].js' },
    resolve: { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
    module: { rules: [typescript] },
    infrastructureLogging: { level: 'none' },
    plugins,
  }
}

/** Where two texts part, shown around that place; undefined when they are equal. */
function firstDifference(a: string | undefined, b: string | undefined): string | undefined {
  if (a === b) return undefined
  if (a === undefined || b === undefined) return `${a === undefined ? 'missing' : 'present'} in the other copy`
  let index = 0
  while (a[index] === b[index]) index++
  return `at ${index}: ${JSON.stringify(a.slice(Math.max(0, index - 80), index + 80))} vs ${JSON.stringify(b.slice(Math.max(0, index - 80), index + 80))}`
}

describe('the same project in two folders', () => {
  beforeAll(async () => {
    await ensurePnpmStyleDependency()
    await rm(BASE, { recursive: true, force: true })
    for (const app of COPIES) await install(app)
  }, 60_000)

  afterAll(() => rm(BASE, { recursive: true, force: true }))

  it.each(BUNDLERS)('builds to the same bytes with %s, source maps included', async (bundler) => {
    const built: Array<{ without: Record<string, string>; with: Record<string, string> }> = []
    const cwd = process.cwd()
    for (const app of COPIES) {
      const without = join(app, '..', `${bundler}-without`)
      const withPlugin = join(app, '..', `${bundler}-with`)
      // As a user runs a build: from the project's folder (Rollup's root, and Vite's names in comments).
      process.chdir(app)
      try {
        await BUILDS[bundler](app, without, [])
        const factory = await plugin(app, bundler)
        await BUILDS[bundler](app, withPlugin, [factory({ ...OPTIONS, report: join(withPlugin, 'report.json') })].flat())
      } finally {
        process.chdir(cwd)
      }
      built.push({ without: await outputs(without), with: await outputs(withPlugin) })
    }
    const [first, other] = built as [(typeof built)[0], (typeof built)[0]]
    expect(Object.keys(first.without).length).toBeGreaterThan(1)
    expect(other.without).toEqual(first.without)
    // The plugin did run: the configured runtime is in, and the report lists the sites.
    const code = Object.entries(first.with).filter(([file]) => file.endsWith('.js')).map(([, text]) => text).join('\n')
    expect(code).toMatch(/tracePropagationTargets: \[\/\^\\\/api\/, "api\.example\.test"\]/)
    expect(JSON.parse(first.with['report.json']!).summary.sites).toBeGreaterThan(10)
    for (const file of Object.keys(first.with)) expect(firstDifference(other.with[file], first.with[file]), file).toBeUndefined()
    expect(Object.keys(other.with).sort()).toEqual(Object.keys(first.with).sort())
    // And no output names the folder it was built in.
    for (const [file, text] of Object.entries(first.with)) expect(text.includes(BASE), file).toBe(false)
  }, 120_000)
})
