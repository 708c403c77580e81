/**
 * What every bundler's build of the fixture app must do, asserted the same way for each.
 */

import { originalPositionFor, sourceContentFor, TraceMap } from '@jridgewell/trace-mapping'
import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { expect } from 'vitest'
import type { RecordedRequest } from '../../helpers/record-server.js'
import type { OutputFile } from './builds.js'
import { META_BAGGAGE, PARENT_SPAN_ID, TRACE_ID, type PageRun } from './page.js'
import { FIXTURE_APP } from './paths.js'

/** Every request of the app: `host path`, and whether it must carry the trace. */
export const EXPECTED_REQUESTS: Record<string, boolean> = {
  'page GET /api/probe': true,
  // One axios instance, created in http.ts, used from users.ts and main.ts.
  'page GET /api/users?page=1': true,
  'page POST /api/users': true,
  'page POST /api/legacy': true,
  // A partner API listed in tracePropagationTargets.
  'api.example.test GET /v1/items': true,
  // A third party that is not: decided at build time, and at run time.
  'thirdparty.test GET /widget.json': false,
  'page GET /api/dynamic': true,
  'thirdparty.test GET /dynamic': false,
  // Dependencies: ky (installed), fixture-dep (pnpm layout).
  'page GET /api/ky': true,
  'page POST /api/dependency': true,
}

export function describeRequest(request: RecordedRequest, pageHost: string): string {
  const host = request.headers.host === pageHost ? 'page' : request.headers.host
  return `${host} ${request.method} ${request.url}`
}

/**
 * The app's requests went out once each; the expected ones carry one `sentry-trace`
 * continuing the server's trace (so the meta tags were read before the app's first
 * module removed them) and its frozen baggage; the others carry no trace header at all.
 */
export function expectTracedRequests(run: PageRun, pageOrigin: string): void {
  const pageHost = new URL(pageOrigin).host
  const seen = run.requests.map((request) => describeRequest(request, pageHost))
  expect(seen.toSorted()).toEqual(Object.keys(EXPECTED_REQUESTS).toSorted())
  const sent = new Set<string>()
  for (const request of run.requests) {
    const name = describeRequest(request, pageHost)
    const { 'sentry-trace': sentryTrace, baggage, traceparent } = request.headers
    expect(traceparent, name).toBeUndefined()
    if (!EXPECTED_REQUESTS[name]) {
      expect({ name, sentryTrace, baggage }).toEqual({ name, sentryTrace: undefined, baggage: undefined })
      continue
    }
    // A second header would arrive joined with ", ".
    expect(sentryTrace, name).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`))
    // The meta baggage, with the sample_rand the page adds for the trace (below sample_rate=1).
    const [, sampleRand] = new RegExp(`^${META_BAGGAGE},sentry-sample_rand=([^,]+)$`).exec(String(baggage)) ?? []
    expect(Number(sampleRand), `${name}: ${baggage}`).toBeLessThan(1)
    expect(String(sentryTrace).split('-')[1], name).not.toBe(PARENT_SPAN_ID)
    sent.add(`${sentryTrace} ${baggage}`)
  }
  // One trace, one span id of the page's own, one baggage: the same headers on every request.
  expect(sent.size).toBe(1)
  // The app ran to its end: its first module had replaced the server-rendered head.
  expect(run.title).toBe('fixture:first-app-module')
}

/** Nothing in the page replaced fetch, XMLHttpRequest or the XMLHttpRequest prototype. */
export function expectNoGlobalWrites(run: PageRun, code: string): void {
  expect(run.globals.after).toEqual(run.globals.before)
  expect(run.globals.after.every((value, index) => value === run.globals.before[index])).toBe(true)
  // And no such write is in the text either, run or not.
  expect(code).not.toMatch(/\b(?:window|globalThis|self|global)\s*\.\s*(?:fetch|XMLHttpRequest)\s*=(?!=)/)
  expect(code).not.toMatch(/XMLHttpRequest\s*\.\s*prototype\s*\.\s*\w+\s*=(?!=)/)
  expect(code).not.toMatch(/defineProperty\(\s*(?:window|globalThis|self|global)\s*,\s*["'](?:fetch|XMLHttpRequest)["']/)
}

export const CONFIGURE_ARGUMENT = '{ tracePropagationTargets: [/^\\/api/, "api.example.test"] }'

/**
 * The configured runtime is in the bundle once, with the build's options. Where the
 * text is in run order (`ordered`), its meta pickup comes before the app's first module.
 */
export function expectRuntimeFirst(code: string, { ordered }: { ordered: boolean }): void {
  const compact = code.replace(/\s+/g, ' ')
  // `configure(...)`, or `(0, runtime.configure)(...)` (webpack: `(0, m/* .configure */ .jK)(...)`)
  // where the bundler kept the module apart.
  const call = `(${CONFIGURE_ARGUMENT})`
  const calls = compact.split(call).length - 1
  expect(calls, 'configure() with the build options, once per bundle').toBe(1)
  const at = compact.indexOf(call)
  expect(compact.slice(Math.max(0, at - 40), at), 'the call is to configure()').toMatch(/configure\b/)
  const after = compact.slice(at).search(/pickUpMetaTags[^(]{0,24}\(\)/)
  expect(after, 'pickUpMetaTags() after configure()').toBeGreaterThan(-1)
  const pickup = at + after
  if (!ordered) return
  const firstAppModule = compact.indexOf('fixture:first-app-module')
  if (firstAppModule !== -1) expect(pickup).toBeLessThan(firstAppModule)
}

/** Rewritten calls the source-map check follows back: one in TypeScript (the plugin's map, then the TS loader's), one in a plain JS dependency (the plugin's map alone). */
export const MAPPED_CALLS = [
  { name: 'src/probe.ts', file: join(FIXTURE_APP, 'src/probe.ts'), url: '/api/probe', helper: 'alwaysTracedFetch' },
  {
    name: 'fixture-dep/index.js',
    file: join(FIXTURE_APP, 'node_modules/.pnpm/fixture-dep@1.0.0/node_modules/fixture-dep/index.js'),
    url: '/api/dependency',
    helper: 'alwaysTracedFetch',
  },
]

/**
 * Through the final bundle's map, a rewritten call maps back to its file, to the
 * original line and column of both its callee (`fetch`, now a helper) and its URL
 * literal (after the insertion on the same line), and the map's source text is the
 * original file, not an intermediate stage.
 */
export function expectCallMapsBack(output: OutputFile, call: (typeof MAPPED_CALLS)[number]): void {
  const original = readFileSync(call.file, 'utf8')
  const quoted = new RegExp(`(["'\`])${call.url.replace(/\//g, '\\/')}\\1`)
  const originalLiteral = locate(original, quoted.exec(original)!.index)
  const originalCallee = locate(original, original.lastIndexOf('fetch(', quoted.exec(original)!.index))

  const map = new TraceMap(output.map, `file://${output.file}.map`)
  const literalAt = quoted.exec(output.code)
  expect(literalAt, `${call.url} in the output`).not.toBeNull()
  const literal = originalPositionFor(map, locate(output.code, literalAt!.index))
  expect(literal.source, `mapped source of ${call.url}`).toMatch(new RegExp(`${basename(dirname(call.file))}/${basename(call.file)}$`))
  expect(sourceContentFor(map, literal.source!)).toBe(original)
  expect({ line: literal.line, column: literal.column }).toEqual(originalLiteral)

  // The helper's name, however the bundler spelled its reference, right before the literal.
  const callee = output.code.toLowerCase().lastIndexOf(call.helper.toLowerCase(), literalAt!.index)
  expect(literalAt!.index - callee, 'helper call right before the URL').toBeLessThan(120)
  const mappedCallee = originalPositionFor(map, locate(output.code, calleeStart(output.code, callee)))
  expect({ source: mappedCallee.source, line: mappedCallee.line, column: mappedCallee.column }).toEqual({
    source: literal.source,
    ...originalCallee,
  })
}

/** Start of the callee expression ending with the name at `index`: `a.b.alwaysTracedFetch` or `(0, a.alwaysTracedFetch)`. */
function calleeStart(code: string, index: number): number {
  let start = index
  while (start > 0 && /[\w$.]/.test(code[start - 1]!)) start--
  const wrapped = /\(0,\s*$/.exec(code.slice(Math.max(0, start - 8), start))
  return wrapped ? start - wrapped[0].length : start
}

/** 1-based line, 0-based column of an offset. */
function locate(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - (before.lastIndexOf('\n') + 1) }
}
