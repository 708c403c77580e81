/** The public build-time API: results, errors, options validation, source maps. */
import { TraceMap, generatedPositionFor, originalPositionFor } from '@jridgewell/trace-mapping'
import { transformSync } from '@babel/core'
import { describe, expect, it, vi } from 'vitest'
import babelPlugin from '../src/babel.js'
import { OptionsError, TransformError, resolveOptions, transform } from '../src/index.js'

describe('transform()', () => {
  it('returns null before parsing when no candidate name occurs', () => {
    // Not valid JS at all: a parse would throw, the pre-check must not parse.
    expect(transform('this is ) not JS', 'a.js')).toBeNull()
  })

  it('returns null for files outside include / inside exclude', () => {
    const code = "fetch('/api')"
    expect(transform(code, 'styles.css')).toBeNull()
    expect(transform(code, '/app/src/skip.js', { exclude: ['**/skip.js'] })).toBeNull()
    expect(transform(code, '/app/src/main.js', { include: [/main\.js$/] })).not.toBeNull()
  })

  it('reports sites with 1-based line, 0-based column of the call, and the static URL', () => {
    const result = transform("const a = 1\n  fetch('/api/x')\n", 'a.js')!
    expect(result.sites).toEqual([{ kind: 'fetch', line: 2, column: 2, decision: 'always', url: '/api/x' }])
  })

  it('throws a TransformError naming file, line and column for unparsable input', () => {
    const code = "fetch('/api')\nconst x = {\n  a: 1,,\n}\n"
    let caught: unknown
    try {
      transform(code, '/src/broken.js')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(TransformError)
    const error = caught as TransformError
    expect(error.id).toBe('/src/broken.js')
    expect(error.loc).toEqual({ line: 3, column: 7 })
    expect(error.message).toMatch(/^\/src\/broken\.js:3:8: /)
    expect(error.frame).toContain('a: 1,,')
  })

  it('parses TypeScript by extension and rejects TS syntax in a .js file with a located error', () => {
    const code = "const u: string = '/api'\nfetch(u)\n"
    expect(transform(code, 'a.ts')!.sites[0]!.decision).toBe('always')
    expect(() => transform(code, 'a.js')).toThrow(TransformError)
  })

  it('maps rewritten calls back to their original line and column', () => {
    const code = "import x from './x'\n\nexport function load(id) {\n    return fetch(`/api/items/${id}`, { method: 'GET' })\n}\nconst xhr = new XMLHttpRequest()\n"
    const result = transform(code, '/src/load.js')!
    const map = new TraceMap(result.map as unknown as ConstructorParameters<typeof TraceMap>[0])
    const lines = result.code.split('\n')
    for (const [helper, original] of [
      ['__sentryTrace_alwaysTracedFetch(', { line: 4, column: 11 }],
      ['new __sentryTrace_TracedXMLHttpRequest', { line: 6, column: 12 }],
    ] as const) {
      const line = lines.findIndex((text, index) => index > 0 && text.includes(helper))
      const column = lines[line]!.indexOf(helper)
      const position = originalPositionFor(map, { line: line + 1, column })
      expect(position, helper).toMatchObject({ source: '/src/load.js', ...original })
    }
    expect(map.sourcesContent?.[0]).toBe(code)
  })

  it('maps every token of the code it left alone to that token, column for column', () => {
    const code = [
      "'use strict'",
      "import axios from 'axios'",
      'const api = axios.create({ baseURL: "/api" }) // wrapped',
      'export const load = (id) => fetch(`/api/items/${id}`, { method: "GET" }).then((r) => r.json())',
      'const greeting = "grüße, 世界"; export const deps = { fetch, api, greeting }',
      'function later() {\r',
      '  return new XMLHttpRequest() /* replaced */ ?? window.fetch',
      '}',
      'export { later }',
      '',
    ].join('\n')
    const result = transform(code, '/src/tokens.js', { tracePropagationTargets: [/^\/api/] })!
    expect(result.sites.length).toBeGreaterThanOrEqual(4)
    const map = new TraceMap(result.map as unknown as ConstructorParameters<typeof TraceMap>[0])
    const output = result.code.split('\n')
    const rewritten = new Set(['fetch', 'XMLHttpRequest'])
    let checked = 0
    code.split('\n').forEach((text, line) => {
      const member = text.indexOf('window.fetch')
      // Words (non-ASCII letters included) and single other characters.
      for (const token of text.matchAll(/[\w$\u0080-\uffff]+|[^\s\w$\u0080-\uffff]/g)) {
        // The replaced names (and all of `window.fetch`) map to their helper.
        if (rewritten.has(token[0]) || (member >= 0 && token.index >= member && token.index < member + 12)) continue
        const at = generatedPositionFor(map, { source: '/src/tokens.js', line: line + 1, column: token.index })
        expect(at.line, `${token[0]} at ${line + 1}:${token.index}`).not.toBeNull()
        expect(output[at.line! - 1]!.startsWith(token[0], at.column!), `${token[0]} at ${line + 1}:${token.index}`).toBe(true)
        expect(originalPositionFor(map, at as { line: number; column: number })).toMatchObject({ line: line + 1, column: token.index })
        checked++
      }
    })
    expect(checked).toBeGreaterThan(100)
  })

  it('counts lines as JavaScript does (CR, CRLF, U+2028, U+2029) in sites and maps alike', () => {
    const breaks = ['\r', '\r\n', '\u2028', '\u2029', '\n']
    const code = ['const a = 1', 'const b = "x"', '// three', '  fetch("/api/a")', 'new XMLHttpRequest()', ''].reduce((all, line, index) => all + line + breaks[index % breaks.length], '')
    const result = transform(code, '/src/breaks.js')!
    expect(result.sites.map((site) => [site.line, site.column])).toEqual([
      [4, 2],
      [5, 0],
    ])
    const map = new TraceMap(result.map as unknown as ConstructorParameters<typeof TraceMap>[0])
    const lines = result.code.split(/\r\n|[\r\n\u2028\u2029]/)
    for (const [helper, site] of [['__sentryTrace_alwaysTracedFetch(', result.sites[0]!], ['__sentryTrace_TracedXMLHttpRequest', result.sites[1]!]] as const) {
      const line = lines.findIndex((text, index) => index > 0 && text.includes(helper))
      const position = originalPositionFor(map, { line: line + 1, column: lines[line]!.indexOf(helper) })
      expect(position, helper).toMatchObject({ line: site.line })
      // The generated line is the original line: the preamble adds none.
      expect(line + 1).toBe(site.line)
    }
  })

  it('warns once about tracingOrigins and uses it as the targets', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const options = { tracingOrigins: ['api.internal.example'] }
    transform("fetch('https://api.internal.example/x')", 'a.js', options)
    transform("fetch('https://api.internal.example/y')", 'b.js', options)
    const result = transform("fetch('https://api.internal.example/z')", 'c.js', { tracingOrigins: ['api.internal.example'] })
    expect(result!.sites[0]!.decision).toBe('always')
    expect(warn.mock.calls.filter(([message]) => String(message).includes('tracingOrigins'))).toHaveLength(1)
    warn.mockRestore()
  })

  it("with pages: 'any', decides only absolute http(s) URLs at build time", () => {
    const code = "fetch('/api/a'); fetch('https://api.example.com/x'); fetch('https://ads.example/p')"
    const options = { tracePropagationTargets: [/^\/api/, 'api.example.com'] }
    const decisions = (extra: object) => transform(code, 'pages.js', { ...options, ...extra })!.sites.map((site) => site.decision)
    expect(decisions({})).toEqual(['always', 'always', 'never'])
    expect(decisions({ pages: 'any' })).toEqual(['runtime', 'always', 'never'])
    expect(transform(code, 'pages.js', { ...options, pages: 'any' })!.code).toContain("tracedFetch('/api/a')")
  })

  it('prints every site only with debug', () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    transform("fetch('/api/a')", 'quiet.js')
    expect(info).not.toHaveBeenCalled()
    transform("fetch('/api/a')", 'loud.js', { debug: true })
    expect(info).toHaveBeenCalledWith(expect.stringContaining('loud.js:1:1 fetch always /api/a'))
    info.mockRestore()
  })
})

describe('options validation', () => {
  it.each([
    [{ tracePropagationTargets: 'api' }, /must be an array/],
    [{ tracePropagationTargets: ['ok', 42] }, /tracePropagationTargets\[1\]` must be a string or a RegExp, got number 42/],
    [{ tracingOrigins: [{}] }, /tracingOrigins\[0\]/],
    [{ propagateTraceparent: 'yes' }, /propagateTraceparent` must be a boolean/],
    [{ axios: 'axios' }, /`axios` must be an array of module names/],
    [{ pages: 'https' }, /`pages` must be 'http' or 'any', got string "https"/],
  ])('rejects %o', (options, message) => {
    expect(() => resolveOptions(options as never)).toThrow(OptionsError)
    expect(() => resolveOptions(options as never)).toThrow(message)
  })

  it('fills every default', () => {
    const resolved = resolveOptions({})
    expect(resolved).toMatchObject({ targets: undefined, propagateTraceparent: false, axiosModules: ['axios'], debug: false, pages: 'http', warnings: [] })
    expect(resolved.filter('/x/node_modules/ky/distribution/index.js')).toBe(true)
    expect(resolved.filter('/x/src/App.vue?vue&type=script&lang.ts')).toBe(true)
    expect(resolved.filter('/x/src/App.vue?vue&type=style&lang.css')).toBe(false)
  })
})

describe('Babel plugin', () => {
  it('takes the same options, reports sites on metadata and marks entries by filename', () => {
    const result = transformSync("fetch('/api/users')\n", {
      filename: '/app/src/main.js',
      babelrc: false,
      configFile: false,
      plugins: [[babelPlugin, { tracePropagationTargets: [/^\/api/], entry: ['**/main.js'] }]],
    })!
    expect(result.code).toMatch(/^import "unplugin-sentry-trace\/runtime\/meta";/)
    expect(result.code).toContain('__sentryTrace_alwaysTracedFetch(\'/api/users\')')
    expect((result.metadata as unknown as { sentryTrace: { sites: unknown[] } }).sentryTrace.sites).toEqual([
      { kind: 'fetch', line: 1, column: 0, decision: 'always', url: '/api/users' },
    ])
  })

  it('composes with a CommonJS modules transform (the inserted import is a real binding)', async () => {
    const { default: modulesCommonjs } = await import('@babel/plugin-transform-modules-commonjs')
    const result = transformSync("export const load = () => fetch(url)\n", {
      filename: '/app/src/load.js',
      babelrc: false,
      configFile: false,
      plugins: [babelPlugin, modulesCommonjs],
    })!
    expect(result.code).toContain('require("unplugin-sentry-trace/runtime")')
    expect(result.code).not.toMatch(/[^.]__sentryTrace_tracedFetch\(url\)/)
  })

  it('rejects bad options with the same errors as transform()', () => {
    expect(() => transformSync('fetch(x)', { filename: 'a.js', babelrc: false, configFile: false, plugins: [[babelPlugin, { tracePropagationTargets: [42] }]] })).toThrow(/must be a string or a RegExp/)
  })
})

describe('never rewritten', () => {
  it("leaves the Sentry SDK's own files alone (it sends envelopes with the native fetch on purpose)", () => {
    const code = "fetch('/api/envelope', { method: 'POST' })"
    expect(transform(code, '/app/node_modules/@sentry/core/build/esm/transports/fetch.js')).toBeNull()
    expect(transform(code, '/app/node_modules/.pnpm/@sentry-internal+browser-utils@11.12.0/node_modules/@sentry-internal/browser-utils/build/esm/x.js')).toBeNull()
    expect(transform(code, '/app/node_modules/sentry-lookalike/index.js')).not.toBeNull()
  })
})
