/**
 * The published package: `npm pack` gives a tarball that installs in a fresh
 * project, and its entry points work there (ESM, with types).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
let project: string

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
}, 240_000)

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true })
})

it('ships only dist/, with types for every entry point', () => {
  const files = run('npm', ['pack', '--dry-run', '--json'], root)
  const listed: string[] = JSON.parse(files)[0].files.map((file: { path: string }) => file.path)
  expect(listed.every((path) => path.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE'].includes(path))).toBe(true)
  const bundlers = ['vite', 'webpack', 'esbuild', 'rollup', 'rspack', 'rolldown'].flatMap((name) => [`dist/plugin/${name}.js`, `dist/plugin/${name}.d.ts`])
  for (const entry of ['dist/src/index.d.ts', 'dist/src/babel.d.ts', 'dist/runtime/index.d.ts', 'dist/runtime/index.js', 'dist/runtime/meta.js', ...bundlers]) {
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
