/**
 * `withSentryTrace` (unplugin-sentry-trace/next) without a Next.js build: the config it
 * returns (Turbopack rule, webpack rule for the browser compilation only, the hook
 * after the compile, all merged with the user's), its option checks, the JSON the
 * loader gets, and the loader itself on a module, the configured runtime and an entry.
 * The real builds are in tests/frameworks/next.test.ts.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import nextLoader from '../plugin/next-loader.js'
import { optionsFromJson, optionsToJson, readSiteRecords, type NextLoaderOptions } from '../plugin/next-shared.js'
import { withSentryTrace, type NextConfigLike } from '../plugin/next.js'
import { findRuntimeFile } from '../plugin/virtual.js'

const SCRIPTS = '*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'
const project = resolve(import.meta.dirname, '.tmp/next-config')

beforeAll(() => {
  rmSync(project, { recursive: true, force: true })
  mkdirSync(join(project, 'app'), { recursive: true })
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'next-config', dependencies: { next: '16', '@sentry/browser': '11' } }))
})

afterAll(() => {
  rmSync(project, { recursive: true, force: true })
})

type Rule = { loaders: Array<{ loader: string; options: NextLoaderOptions }>; condition: { all: [string, { not: { path: RegExp } }] } }
type WebpackRule = { test: RegExp; exclude: RegExp; enforce: string; use: Array<{ loader: string; options: NextLoaderOptions }> }
const rulesOf = (config: NextConfigLike) => config.turbopack?.rules ?? {}
const webpackOf = (config: NextConfigLike) => config.webpack as (config: { module?: { rules?: unknown[] } }, context: { dev: boolean; isServer: boolean; nextRuntime?: string }) => { module: { rules: unknown[] } }

describe('the config', () => {
  it('adds a Turbopack rule for browser scripts, its options JSON with the RegExps written out, and keeps what else the config has', () => {
    const config = withSentryTrace({ reactStrictMode: true, turbopack: { root: '/app', rules: { '*.svg': { loaders: ['@svgr/webpack'], as: '*.js' } } } }, { tracePropagationTargets: [/^\/api\//i, 'api.example.com'], report: 'report.json' })
    expect(config.reactStrictMode).toBe(true)
    expect(config.turbopack?.root).toBe('/app')
    expect(rulesOf(config)['*.svg']).toEqual({ loaders: ['@svgr/webpack'], as: '*.js' })
    const rule = rulesOf(config)[SCRIPTS] as Rule
    expect(rule.condition.all[0]).toBe('browser')
    // Not Next.js's prebuilt bundles.
    expect(rule.condition.all[1].not.path.test('/app/node_modules/next/dist/compiled/next-devtools/index.js')).toBe(true)
    expect(rule.condition.all[1].not.path.test('/app/node_modules/next/dist/client/page-loader.js')).toBe(false)
    expect(rule.loaders).toEqual([
      {
        loader: 'unplugin-sentry-trace/next/loader',
        options: {
          plugin: { tracePropagationTargets: [{ $regexp: ['^\\/api\\/', 'i'] }, 'api.example.com'], report: 'report.json' },
          records: '.next/cache/unplugin-sentry-trace/turbopack',
        },
      },
    ])
    // JSON through and through, as Turbopack requires; read back, the RegExp is one again.
    expect(JSON.parse(JSON.stringify(rule.loaders[0]!.options))).toEqual(rule.loaders[0]!.options)
    expect(optionsFromJson(rule.loaders[0]!.options.plugin).tracePropagationTargets).toEqual([/^\/api\//i, 'api.example.com'])
  })

  it("joins a rule the user has for the same files instead of replacing it; the records follow distDir", () => {
    const theirs = { loaders: ['their-loader'] }
    const config = withSentryTrace({ distDir: 'build', turbopack: { rules: { [SCRIPTS]: theirs } } })
    const rules = rulesOf(config)[SCRIPTS] as [typeof theirs, Rule]
    expect(rules[0]).toBe(theirs)
    expect(rules[1].loaders[0]!.options.records).toBe('build/cache/unplugin-sentry-trace/turbopack')
  })

  it("webpack: the loader runs on the browser compilation only, before Next.js's own loaders, after the user's webpack function", () => {
    const user = vi.fn((config: { module?: { rules?: unknown[] } }) => ({ ...config, module: { rules: [...(config.module?.rules ?? []), 'theirs'] } }))
    const webpack = webpackOf(withSentryTrace({ webpack: user }, { tracePropagationTargets: [/^\/api/] }))
    const client = webpack({ module: { rules: ['next'] } }, { dev: false, isServer: false })
    expect(user).toHaveBeenCalledTimes(1)
    expect(client.module.rules.slice(0, 2)).toEqual(['next', 'theirs'])
    const ours = client.module.rules[2] as WebpackRule
    expect(client.module.rules).toHaveLength(3)
    expect(ours.enforce).toBe('pre')
    expect(['a.js', 'b.tsx', 'c.mjs', 'd.cts'].every((file) => ours.test.test(file))).toBe(true)
    expect(ours.test.test('e.css')).toBe(false)
    expect(ours.exclude.test('/app/node_modules/next/dist/compiled/react-dom/index.js')).toBe(true)
    expect(ours.use[0]!.options.records).toBe('.next/cache/unplugin-sentry-trace/webpack')
    for (const nextRuntime of ['nodejs', 'edge']) {
      expect(webpack({ module: { rules: ['next'] } }, { dev: false, isServer: true, nextRuntime }).module.rules).toEqual(['next', 'theirs'])
    }
  })

  it("runs the user's runAfterProductionCompile, then reports", async () => {
    const order: string[] = []
    const info = vi.spyOn(console, 'info').mockImplementation((message: string) => void order.push(message))
    try {
      const config = withSentryTrace({ compiler: { removeConsole: false, runAfterProductionCompile: async () => void order.push('theirs') } })
      expect(config.compiler?.removeConsole).toBe(false)
      await (config as NextConfigLike).compiler!.runAfterProductionCompile!({ projectDir: project, distDir: join(project, '.next') })
    } finally {
      info.mockRestore()
    }
    expect(order).toEqual(['theirs', '[unplugin-sentry-trace] 0 call sites: 0 always, 0 runtime, 0 never; 0 files'])
  })

  it('wraps a config function of the phase', async () => {
    const config = withSentryTrace(async (phase: string) => ({ env: { phase } }), {})
    expect(typeof config).toBe('function')
    const resolved = await (config as (phase: string, context: { defaultConfig: object }) => Promise<NextConfigLike>)('phase-production-build', { defaultConfig: {} })
    expect(resolved.env).toEqual({ phase: 'phase-production-build' })
    expect(rulesOf(resolved)[SCRIPTS]).toBeDefined()
  })

  it('refuses options it cannot use, naming them', () => {
    expect(() => withSentryTrace({}, { tracePropagationTarget: [] } as never)).toThrow(/unknown option `tracePropagationTarget`: did you mean `tracePropagationTargets`\?/)
    expect(() => withSentryTrace({}, { ssr: true } as never)).toThrow(/`ssr` is not an option of withSentryTrace/)
    expect(() => withSentryTrace({}, { report: 42 } as never)).toThrow(/`report` must be a file path, got number 42/)
    expect(() => optionsToJson({ include: [() => true] })).toThrow(/`options\.include\[0\]` cannot be handed to Turbopack's loader .* got a function/)
  })
})

describe('the loader', () => {
  const loaderOptions = optionsToJson({ tracePropagationTargets: [/^\/API\//i], sentry: false })
  function run(file: string, source: string, records = '.next/cache/records', moduleType?: string): { code?: string; error?: Error | null } {
    const result: { code?: string; error?: Error | null } = {}
    nextLoader.call(
      {
        ...(moduleType && { _module: { type: moduleType } }),
        resourcePath: file,
        rootContext: project,
        getOptions: () => ({ plugin: loaderOptions, records }),
        callback: (error, code) => Object.assign(result, { error, code }),
      },
      source,
    )
    return result
  }

  it('rewrites a module, importing the configured runtime by a relative path', () => {
    const { code, error } = run(join(project, 'app/page.js'), "fetch('/api/users')\n")
    expect(error).toBeNull()
    expect(code).toContain('__sentryTrace_alwaysTracedFetch')
    const request = /require\("(\.[^"]+)"\)/.exec(code!)?.[1]
    expect(request && resolve(project, 'app', request)).toBe(findRuntimeFile('configured-runtime'))
    expect(code).not.toContain(project)
  })

  it("webpack's strict ES modules (`\"type\": \"module\"`, .mjs) without ESM syntax import the runtime: they have no require", () => {
    const entry = run(join(project, 'instrumentation-client.js'), '// nothing yet\n', undefined, 'javascript/esm').code!
    expect(entry).toMatch(/^import "\.[^"]*configured-runtime\.(?:js|ts)";/)
    expect(entry).not.toContain('require(')
    expect(run(join(project, 'app/a.js'), "fetch('/api/x')\n", undefined, 'javascript/auto').code).toMatch(/= require\("\./)
  })

  it('Turbopack (no webpack module type): a script imports the runtime where Node would load it as an ES module', () => {
    mkdirSync(join(project, 'esm'), { recursive: true })
    writeFileSync(join(project, 'esm/package.json'), JSON.stringify({ type: 'module' }))
    const helper = (code: string | undefined) => /require\(|^import /m.exec(code ?? '')?.[0]
    expect(helper(run(join(project, 'esm/a.js'), "fetch('/api/x')\n").code)).toBe('import ')
    expect(helper(run(join(project, 'app/b.mjs'), "fetch('/api/x')\n").code)).toBe('import ')
    expect(helper(run(join(project, 'esm/c.cjs'), "fetch('/api/x')\n").code)).toBe('require(')
    expect(helper(run(join(project, 'app/d.js'), "fetch('/api/x')\n").code)).toBe('require(')
  })

  it('serves the configured runtime in place of its placeholder: the options written once, the RegExp included', () => {
    const { code } = run(findRuntimeFile('configured-runtime'), 'throw new Error()')
    expect(code).toContain('configure({')
    expect(code).toContain(String(/^\/API\//i))
    expect(code).toContain('pickUpMetaTags();')
    expect(code).toMatch(/from "\.\/index\.js"/)
    // `sentry: false`: no SDK import.
    expect(code).not.toContain('@sentry/')
  })

  it('connects the Sentry SDK the project depends on, in the configured runtime only', () => {
    const detecting = optionsToJson({})
    const result: { code?: string } = {}
    nextLoader.call({ resourcePath: findRuntimeFile('configured-runtime'), rootContext: project, getOptions: () => ({ plugin: detecting, records: 'r' }), callback: (_error, code) => (result.code = code) }, '')
    expect(result.code).toContain('from "@sentry/browser"')
    expect(result.code).toMatch(/from "\.\/sentry\.js"/)
  })

  it('makes instrumentation-client import the configured runtime first, even without a call site; not a dependency of that name', () => {
    const entry = run(join(project, 'instrumentation-client.ts'), 'export {}\n').code!
    expect(entry.trimStart()).toMatch(/^import "\.[^"]*configured-runtime\.(?:js|ts)";/)
    expect(run(join(project, 'node_modules/x/instrumentation-client.js'), 'export {}\n').code).toBe('export {}\n')
  })

  it('reports a parse failure with file, line and column', () => {
    const { error } = run(join(project, 'app/broken.js'), "fetch('/api')\nconst = 1\n")
    expect(error?.message).toMatch(/app\/broken\.js:2:\d+/)
  })

  it('in a production build, keeps the sites of a module for the report, and drops them once the file changed', () => {
    const file = join(project, 'app/client.js')
    const source = "export const load = () => fetch('/api/items')\n"
    writeFileSync(file, source)
    vi.stubEnv('NODE_ENV', 'production')
    try {
      run(file, source, '.next/cache/kept')
    } finally {
      vi.unstubAllEnvs()
    }
    const report = readSiteRecords(project, '.next/cache/kept').report(project)
    expect(report.sites).toEqual([{ file: 'app/client.js', kind: 'fetch', line: 1, column: 26, decision: 'always', url: '/api/items' }])
    writeFileSync(file, source.replace('items', 'other'))
    expect(readSiteRecords(project, '.next/cache/kept').report(project).sites).toEqual([])
  })

  it('records nothing outside a production build (next dev writes no report)', () => {
    const file = join(project, 'app/dev.js')
    writeFileSync(file, "fetch('/api')\n")
    vi.stubEnv('NODE_ENV', 'development')
    try {
      run(file, "fetch('/api')\n", '.next/cache/dev')
    } finally {
      vi.unstubAllEnvs()
    }
    expect(readSiteRecords(project, '.next/cache/dev').report(project).sites).toEqual([])
  })
})
