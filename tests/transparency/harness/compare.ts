/**
 * The transparency rule: the rewritten build of a scenario does what the original
 * does (its transcript, console, uncaught errors, and requests: method, URL, body
 * and every header but the trace headers), and its requests carry trace headers
 * exactly where they belong. Each check returns the first difference, in words.
 */

import type { RecordedRequest } from '../../helpers/record-server.js'
import { META_BAGGAGE, TRACE_ID } from './builds.js'
import type { PageRun } from './pages.js'

export const TRACE_HEADERS = ['sentry-trace', 'baggage', 'traceparent'] as const

/** Trace headers the scenarios set themselves carry this in their values. */
export const CALLER_MARK = 'c0ffee'

/** `tracePropagationTargets: [/^\/api/]`, and every request of a scenario is same-origin. */
export function isTarget(request: RecordedRequest): boolean {
  return request.url.startsWith('/api')
}

const SENTRY_TRACE = new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`)

/** What makes the original run a baseline worth comparing with; undefined when it is one. */
export function baselineProblem(original: PageRun): string | undefined {
  if (original.buildError) return `the original build failed: ${original.buildError}`
  if (!original.done) return `the original page did not finish: ${JSON.stringify(original.transcript.slice(-3))} ${original.pageErrors.join('; ')}`
  if (original.pageErrors.length) return `the original page threw: ${original.pageErrors.join('; ')}`
  if (!original.requests.some(isTarget)) return 'the original page sent no request to a target'
  if (!original.requests.some((request) => !isTarget(request))) return 'the original page sent no request outside the targets'
  for (const request of original.requests) {
    for (const name of TRACE_HEADERS) {
      const value = request.headers[name]
      if (value !== undefined && !String(value).includes(CALLER_MARK)) return `the original ${describe(request)} carries ${name}: ${value}`
    }
  }
  return undefined
}

/**
 * The one difference the rewrite makes on purpose (README, Limits): `new
 * XMLHttpRequest()` makes an instance of a subclass, and an app's own subclass
 * extends that subclass, so the traced subclass sits in the prototype chain (the
 * `constructor`, `instanceof` and every method and property are the original's).
 * Keyed by scenario and transcript label; the value is what each build must show, so
 * the exception is checked, not skipped.
 */
export const KNOWN_DIFFERENCES: Record<string, { original: unknown; rewritten: unknown }> = {
  'xhr-identity/prototype': { original: true, rewritten: false },
  'xhr-identity/subclass prototype': { original: true, rewritten: false },
}

/** The first way the rewritten run differs from the original one. */
export function behaviourDifference(original: PageRun, rewritten: PageRun, scenario = ''): string | undefined {
  if (rewritten.buildError) return `the build failed: ${rewritten.buildError}`
  const errors = firstListDifference('uncaught error', original.pageErrors, rewritten.pageErrors)
  if (errors) return errors
  const expected = rewritten.transcript.map((entry, index) => {
    const label = Array.isArray(entry) ? String(entry[0]) : undefined
    const known = label === undefined ? undefined : KNOWN_DIFFERENCES[`${scenario}/${label}`]
    if (!known) return original.transcript[index]
    const before = original.transcript[index] as unknown[] | undefined
    // The original must show what the exception says it shows, and the rewritten build the other value.
    return JSON.stringify(before?.[1]) === JSON.stringify(known.original) ? [label, known.rewritten] : before
  })
  const transcript = firstListDifference('transcript', expected.concat(original.transcript.slice(expected.length)), rewritten.transcript)
  if (transcript) return transcript
  if (original.done !== rewritten.done) return `finished: original ${original.done}, rewritten ${rewritten.done}`
  const console = firstListDifference('console', original.console, rewritten.console)
  if (console) return console
  const requests = firstListDifference('request', original.requests.map(describe), rewritten.requests.map(describe))
  if (requests) return requests
  for (const [index, request] of original.requests.entries()) {
    const other = rewritten.requests[index]!
    const name = describe(request)
    if (request.body !== other.body) return `request ${index} (${name}) body: original ${JSON.stringify(request.body)}, rewritten ${JSON.stringify(other.body)}`
    const headers = firstListDifference(`request ${index} (${name}) header`, appHeaders(request), appHeaders(other))
    if (headers) return headers
  }
  return undefined
}

/**
 * The trace headers of each rewritten request, next to the original's: a target gets
 * one `sentry-trace` continuing the page's trace and the page's baggage (after the
 * caller's own non-Sentry entries), unless the caller set its own; any other request
 * carries exactly what the original did.
 */
export function traceHeaderDifference(original: PageRun, rewritten: PageRun): string | undefined {
  for (const [index, request] of original.requests.entries()) {
    const other = rewritten.requests[index]
    if (!other) return `request ${index} (${describe(request)}) is missing`
    const name = `request ${index} (${describe(request)})`
    const count = occurrences(other, 'sentry-trace')
    const before = traceHeaders(request)
    const after = traceHeaders(other)
    if (count > 1) return `${name} carries ${count} sentry-trace headers: ${after['sentry-trace']}`
    if (!isTarget(request) || before['sentry-trace'] !== undefined) {
      const difference = firstListDifference(`${name} trace header`, Object.entries(before), Object.entries(after))
      if (difference) return `${difference}${isTarget(request) ? ' (the caller set its own)' : ' (not a target)'}`
      continue
    }
    if (!SENTRY_TRACE.test(after['sentry-trace'] ?? '')) return `${name} sentry-trace: ${JSON.stringify(after['sentry-trace'])}, expected ${TRACE_ID}-<span>-1`
    const own = before.baggage
    // W3C baggage allows optional whitespace around the commas.
    const expected = own === undefined ? META_BAGGAGE : /(?:^|,)\s*sentry-/.test(own) ? own : `${own},${META_BAGGAGE}`
    if (baggageEntries(after.baggage).join(',') !== baggageEntries(expected).join(',')) {
      return `${name} baggage: ${JSON.stringify(after.baggage)}, expected ${JSON.stringify(expected)}`
    }
    if (after.traceparent !== before.traceparent) return `${name} traceparent: ${JSON.stringify(after.traceparent)}, original ${JSON.stringify(before.traceparent)}`
  }
  return undefined
}

function baggageEntries(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((entry) => entry.trim())
}

function describe(request: RecordedRequest): string {
  return `${request.method} ${request.url}`
}

function traceHeaders(request: RecordedRequest): Partial<Record<(typeof TRACE_HEADERS)[number], string>> {
  const headers: Partial<Record<(typeof TRACE_HEADERS)[number], string>> = {}
  for (const name of TRACE_HEADERS) if (request.headers[name] !== undefined) headers[name] = String(request.headers[name])
  return headers
}

/** Every header but the trace headers, as sorted `name: value` lines. */
function appHeaders(request: RecordedRequest): string[] {
  return Object.entries(request.headers)
    .filter(([name]) => !(TRACE_HEADERS as readonly string[]).includes(name))
    .map(([name, value]) => `${name}: ${String(value)}`)
    .sort()
}

function occurrences(request: RecordedRequest, name: string): number {
  return request.rawHeaders.filter((value, index) => index % 2 === 0 && value.toLowerCase() === name).length
}

function firstListDifference(what: string, original: unknown[], rewritten: unknown[]): string | undefined {
  for (let index = 0; index < Math.max(original.length, rewritten.length); index++) {
    const before = JSON.stringify(original[index])
    const after = JSON.stringify(rewritten[index])
    if (before !== after) return `${what} ${index}: original ${before ?? '(none)'}, rewritten ${after ?? '(none)'}`
  }
  return undefined
}
