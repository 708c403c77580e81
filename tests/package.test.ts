/**
 * The published package: `npm pack` gives a tarball that installs in a fresh
 * project, and its subpath exports work there: imported (ESM, with types), and
 * required from CommonJS (a `webpack.config.js`) on each supported Node release.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { nodeBinaries } from './helpers/node-releases.js'

const root = resolve(import.meta.dirname, '..')
let project: string
/** The machine's Node (20), and the current 22 and 24. */
let nodes: Array<{ name: string; node: string }>
const ENTRIES = ['vite', 'webpack', 'rspack', 'esbuild', 'rollup', 'rolldown', 'babel', 'next']

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'src', 'index.js'))) run('npm', ['run', 'build'], root)
  project = mkdtempSync(join(tmpdir(), 'sentry-trace-pack-'))
  run('npm', ['pack', '--pack-destination', project], root)
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'))!
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`, '@babel/core@7'], project)
  nodes = nodeBinaries([20, 22, 24])
}, 240_000)

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true })
})

it('ships only dist/, with types for every subpath export', () => {
  const files = run('npm', ['pack', '--dry-run', '--json'], root)
  const listed: string[] = JSON.parse(files)[0].files.map((file: { path: string }) => file.path)
  expect(listed.every((path) => path.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE'].includes(path))).toBe(true)
  const bundlers = ['vite', 'webpack', 'esbuild', 'rollup', 'rspack', 'rolldown'].flatMap((name) => [`dist/plugin/${name}.js`, `dist/plugin/${name}.d.ts`])
  for (const entry of ['dist/src/index.d.ts', 'dist/src/babel.d.ts', 'dist/runtime/index.d.ts', 'dist/runtime/index.js', 'dist/runtime/meta.js', 'dist/runtime/angular.js', 'dist/runtime/angular.d.ts', 'dist/plugin/next.d.ts', 'dist/plugin/next-loader.js', 'dist/runtime/configured-runtime.js', ...bundlers]) {
    expect(listed).toContain(entry)
  }
})

it('works from the installed tarball: transform, Babel plugin, runtime, bundler plugins', () => {
  writeFileSync(
    join(project, 'check.mjs'),
    `
import { transform } from 'unplugin-sentry-trace'
import babelPlugin from 'unplugin-sentry-trace/babel'
import { shouldAttachHeaders, tracedFetch, TracedXMLHttpRequest } from 'unplugin-sentry-trace/runtime'
import { transformSync } from '@babel/core'
const bundlers = {}
for (const name of ['vite', 'webpack', 'esbuild', 'rollup', 'rspack', 'rolldown']) {
  const plugin = (await import('unplugin-sentry-trace/' + name)).default
  bundlers[name] = typeof plugin
}
const vitePlugins = [(await import('unplugin-sentry-trace/vite')).default({})].flat()
const code = "fetch('/api/users')"
const text = transform(code, 'src/a.js', { tracePropagationTargets: [/^\\/api/] })
const babel = transformSync(code, { filename: 'src/a.js', configFile: false, babelrc: false, plugins: [[babelPlugin, {}]] })
console.log(JSON.stringify({
  sites: text.sites,
  babel: babel.code.includes('__sentryTrace_alwaysTracedFetch'),
  rule: shouldAttachHeaders('/api', [/^\\/api/], 'https://a.example/'),
  helpers: [typeof tracedFetch, typeof TracedXMLHttpRequest],
  bundlers,
  vite: vitePlugins.some((plugin) => plugin.name === 'unplugin-sentry-trace'),
}))
`,
  )
  const output = JSON.parse(run('node', ['check.mjs'], project))
  expect(output).toEqual({
    sites: [{ kind: 'fetch', line: 1, column: 0, decision: 'always', url: '/api/users' }],
    babel: true,
    rule: true,
    helpers: ['function', 'function'],
    bundlers: { vite: 'function', webpack: 'function', esbuild: 'function', rollup: 'function', rspack: 'function', rolldown: 'function' },
    vite: true,
  })
})

it('require() of every subpath export gives the plugin function, and import still works, on Node 20, 22 and 24', () => {
  writeFileSync(
    join(project, 'check.cjs'),
    `
const { transformSync } = require('@babel/core')
const result = {}
for (const name of ${JSON.stringify(ENTRIES)}) {
  const plugin = require('unplugin-sentry-trace/' + name)
  result[name] = typeof plugin
}
// Each bundler plugin made from the required function, as a config file does.
result.webpack = typeof require('unplugin-sentry-trace/webpack')({ tracePropagationTargets: [/^\\/api/] }).apply
result.vite = [require('unplugin-sentry-trace/vite')({})].flat().map((plugin) => plugin.name).join(',')
const babel = transformSync("fetch('/api')", { filename: 'a.js', configFile: false, babelrc: false, plugins: [require('unplugin-sentry-trace/babel')] })
result.babelRewrites = babel.code.includes('__sentryTrace_')
result.root = Object.keys(require('unplugin-sentry-trace')).filter((name) => ['transform', 'resolveOptions', 'TransformError', 'OptionsError'].includes(name)).sort()
// Next.js: the required function wraps a config, also taken out by name as next.config.js files do.
const { withSentryTrace } = require('unplugin-sentry-trace/next')
result.nextRules = Object.keys(require('unplugin-sentry-trace/next')({ reactStrictMode: true }, { tracePropagationTargets: [/^\\/api/] }).turbopack.rules)
result.nextSame = withSentryTrace === require('unplugin-sentry-trace/next')
console.log(JSON.stringify(result))
`,
  )
  writeFileSync(
    join(project, 'check-import.mjs'),
    `
import sentryWebpack from 'unplugin-sentry-trace/webpack'
import babelPlugin from 'unplugin-sentry-trace/babel'
import { transform } from 'unplugin-sentry-trace'
const bundlers = []
for (const name of ${JSON.stringify(ENTRIES)}) bundlers.push(typeof (await import('unplugin-sentry-trace/' + name)).default)
console.log(JSON.stringify({ bundlers, webpack: typeof sentryWebpack, babel: typeof babelPlugin, transform: typeof transform }))
`,
  )
  if (process.platform === 'linux' && process.arch === 'x64') expect(nodes.map((node) => node.name.split('.')[0])).toEqual(['Node 20', 'Node 22', 'Node 24'])
  for (const { name, node } of nodes) {
    expect(JSON.parse(run(node, ['check.cjs'], project)), name).toEqual({
      vite: 'unplugin-sentry-trace,unplugin-sentry-trace:entry,unplugin-sentry-trace:sites-left,unplugin-sentry-trace:components,unplugin-sentry-trace:workers',
      webpack: 'function',
      rspack: 'function',
      esbuild: 'function',
      rollup: 'function',
      rolldown: 'function',
      babel: 'function',
      babelRewrites: true,
      root: ['OptionsError', 'TransformError', 'resolveOptions', 'transform'],
      next: 'function',
      nextRules: ['*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
      nextSame: true,
    })
    expect(JSON.parse(run(node, ['check-import.mjs'], project)), name).toEqual({
      bundlers: ENTRIES.map(() => 'function'),
      webpack: 'function',
      babel: 'function',
      transform: 'function',
    })
  }
}, 120_000)

it('types a CommonJS config: the required plugin is callable with checked options', () => {
  writeFileSync(
    join(project, 'check.cts'),
    `
import sentryTrace = require('unplugin-sentry-trace/webpack')
import babelPlugin = require('unplugin-sentry-trace/babel')
import withSentryTrace = require('unplugin-sentry-trace/next')
const plugin: { apply(compiler: never): void } = sentryTrace({ tracePropagationTargets: [/^\\/api/], report: 'report.json' })
// @ts-expect-error: a misspelt option is a type error too
sentryTrace({ tracePropagationTarget: [] })
const nextConfig: { reactStrictMode: boolean } = withSentryTrace({ reactStrictMode: true }, { tracePropagationTargets: [/^\\/api/] })
// @ts-expect-error: and for Next.js, where \`ssr\` is not an option
withSentryTrace({}, { ssr: true })
const babel: (api: never, options: { entry?: boolean }) => unknown = babelPlugin
export = [plugin, babel, nextConfig]
`,
  )
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['check.cts'] }),
  )
  const tsc = join(root, 'node_modules/.bin/tsc')
  expect(() => run(tsc, ['-p', 'tsconfig.json'], project)).not.toThrow()
  // And the check can fail: a call with a wrong option type is reported.
  writeFileSync(join(project, 'check.cts'), "import sentryTrace = require('unplugin-sentry-trace/webpack')\nsentryTrace({ debug: 'yes' })\n")
  const failed = (() => {
    try {
      run(tsc, ['-p', 'tsconfig.json'], project)
      return ''
    } catch (error) {
      return String((error as { stdout?: string }).stdout)
    }
  })()
  expect(failed).toMatch(/check\.cts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'boolean \| undefined'/)
})

it('require() and import of unplugin-sentry-trace/angular give the interceptor and its provider, on Node 20, 22 and 24', () => {
  const names = ['provideSentryTrace', 'sentryTraceInterceptor']
  writeFileSync(
    join(project, 'check-angular.cjs'),
    `const angular = require('unplugin-sentry-trace/angular')
console.log(JSON.stringify(${JSON.stringify(names)}.map((name) => typeof angular[name])))`,
  )
  writeFileSync(
    join(project, 'check-angular.mjs'),
    `import { provideSentryTrace, sentryTraceInterceptor } from 'unplugin-sentry-trace/angular'
console.log(JSON.stringify([typeof provideSentryTrace, typeof sentryTraceInterceptor, provideSentryTrace({ tracePropagationTargets: [/^\\/api/] })]))`,
  )
  expect(nodes.length).toBeGreaterThan(0)
  for (const { name, node } of nodes) {
    expect(JSON.parse(run(node, ['check-angular.cjs'], project)), name).toEqual(['function', 'function'])
    expect(JSON.parse(run(node, ['check-angular.mjs'], project)), name).toEqual(['function', 'function', []])
  }
})
