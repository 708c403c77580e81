/**
 * webpack under Angular's compiler plugin (the legacy `@angular-devkit/build-angular`
 * builders): `@ngtools/webpack`'s loader emits each TypeScript file from Angular's
 * own compilation of the file on disk, so whatever a loader before it returned is
 * dropped. Here a loader that does the same (esbuild compiling the file read from
 * disk, with a map) stands in for it, next to a plugin named as Angular's is: the
 * site our transform reports must be the one that ships, and be placed in the
 * file. The real builder runs in tests/frameworks/angular.test.ts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import webpack from 'webpack'
import { afterAll, beforeAll, expect, it } from 'vitest'
import sentryWebpack from '../../plugin/webpack.js'
import { runWebpackLike, TS_EXTENSION_ALIAS, type WebpackLikeCompiler } from './helpers/builds.js'

const DIR = resolve(import.meta.dirname, '../.tmp/webpack-angular')
const SOURCE = ["const label: string = 'items'", 'type Items = { count: number }', '', "export const load = (): Promise<Response> => fetch('/api/items')", 'export { label, type Items }', ''].join('\n')
const FETCH_LINE = 4
const FETCH_COLUMN = SOURCE.split('\n')[FETCH_LINE - 1]!.indexOf('fetch(')

/** Stands in for AngularWebpackPlugin: only its name is looked at. */
class AngularWebpackPlugin {
  apply(): void {}
}

beforeAll(() => {
  rmSync(DIR, { recursive: true, force: true })
  mkdirSync(join(DIR, 'src'), { recursive: true })
  writeFileSync(join(DIR, 'src/main.ts'), SOURCE)
  // A project of its own: the report's paths are relative to the nearest package.json.
  writeFileSync(join(DIR, 'package.json'), JSON.stringify({ name: 'angular-like-app', private: true }))
  writeFileSync(
    join(DIR, 'compile-from-disk.cjs'),
    `const { readFileSync } = require('node:fs')
const esbuild = require(${JSON.stringify(createRequire(import.meta.url).resolve('esbuild'))})
// Like @ngtools/webpack: the output is compiled from the file on disk, whatever came in.
module.exports = function () {
  const result = esbuild.transformSync(readFileSync(this.resourcePath, 'utf8'), {
    loader: 'ts', format: 'esm', sourcemap: 'external', sourcefile: this.resourcePath, banner: '/* compiled */\\n// from the file on disk',
  })
  this.callback(null, result.code, JSON.parse(result.map))
}
`,
  )
})

afterAll(() => rmSync(DIR, { recursive: true, force: true }))

async function build(angular: boolean, out: string): Promise<{ code: string; sites: unknown[] }> {
  const report = join(DIR, out, 'report.json')
  const compiler = webpack({
    mode: 'production',
    context: DIR,
    target: 'web',
    entry: { main: './src/main.ts' },
    devtool: false,
    output: { path: join(DIR, out), filename: '[name].js', library: { type: 'module' } },
    experiments: { outputModule: true },
    optimization: { minimize: false },
    infrastructureLogging: { level: 'none' },
    // The runtime is imported from its TypeScript source here.
    resolve: { extensions: ['.ts', '.js'], extensionAlias: TS_EXTENSION_ALIAS },
    module: { rules: [{ test: /\.ts$/, use: join(DIR, 'compile-from-disk.cjs') }] },
    plugins: [...(angular ? [new AngularWebpackPlugin()] : []), sentryWebpack({ tracePropagationTargets: [/^\/api/], sentry: false, report })],
  })
  await runWebpackLike(compiler as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
  return { code: readFileSync(join(DIR, out, 'main.js'), 'utf8'), sites: JSON.parse(readFileSync(report, 'utf8')).sites }
}

it("without Angular's plugin in the config, the stand-in loader drops what our transform returned (what the test relies on)", async () => {
  const { code } = await build(false, 'plain')
  expect(code).toContain('fetch("/api/items")')
})

it('with it, the transform runs after the compiling loader: the reported site ships rewritten, placed in the file', async () => {
  const { code, sites } = await build(true, 'angular')
  expect(code).not.toContain('fetch("/api/items")')
  expect(code).toContain('"/api/items"')
  expect(code).toContain('sentry-trace')
  expect(sites).toEqual([{ file: 'src/main.ts', kind: 'fetch', line: FETCH_LINE, column: FETCH_COLUMN, decision: 'always', url: '/api/items' }])
})
