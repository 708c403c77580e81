// @vitest-environment jsdom
/**
 * A caller's own `baggage` that already holds a `sentry-` entry keeps ours out (one
 * dynamic sampling context per request). Which caller values count is the SDK's to
 * say: its fetch instrumentation (`_INTERNAL_getTracingHeadersForFetchRequest` of the
 * installed @sentry/core) is run on the same values, with every kind of whitespace
 * the SDK's trim() strips before an entry, and the two must agree on whether a
 * second baggage goes out. The SDK's envelopes stay in memory.
 */
import { init } from '@sentry/browser'
import { _INTERNAL_getTracingHeadersForFetchRequest, createTransport } from '@sentry/core'
import fc from 'fast-check'
import { beforeAll, expect, it } from 'vitest'
import { applyTraceHeaders, headerBag } from '../../runtime/headers.js'

beforeAll(() => {
  init({
    dsn: 'https://public@o0.ingest.sentry.io/1',
    tracesSampleRate: 1,
    transport: (options) => createTransport(options, async () => ({ statusCode: 200 })),
  } as Parameters<typeof init>[0])
})

/** Whether the SDK adds its own baggage after a caller's `baggage: existing`. */
function sdkAppends(existing: string): boolean {
  const headers = _INTERNAL_getTracingHeadersForFetchRequest('https://api.test/', { headers: [['baggage', existing]] }) as Array<[string, string]>
  expect(headers.some(([name]) => name === 'sentry-trace')).toBe(true)
  return headers.filter(([name]) => name === 'baggage').length > 1
}

/** Whether our runtime does. */
function oursAppends(existing: string): boolean {
  const pairs: Array<[string, string]> = [['baggage', existing]]
  applyTraceHeaders(headerBag(pairs), { 'sentry-trace': 'x', baggage: 'sentry-trace_id=abc' }, false)
  return pairs.length > 2
}

// Every character String.prototype.trim strips, and some it does not.
const SPACES = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff']
const NOT_SPACES = ['\u200b', '\u0085', '\u180e', '_', '-', '=']

it('treats a caller baggage as holding a sentry- entry exactly when the SDK does', () => {
  const piece = fc.constantFrom(...SPACES, ...NOT_SPACES, 'sentry-', 'sentry-a=1', 'Sentry-a=1', 'vendor=1', ',', '=', 'a', ';p=1')
  fc.assert(
    fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (parts) => {
      const existing = parts.join('')
      expect(oursAppends(existing), JSON.stringify(existing)).toBe(sdkAppends(existing))
    }),
    { numRuns: 3_000 },
  )
  // Each whitespace character alone before the entry, first and after a comma.
  for (const space of [...SPACES, ...NOT_SPACES]) {
    for (const existing of [`${space}sentry-a=1`, `vendor=1,${space}sentry-a=1`]) {
      expect(oursAppends(existing), JSON.stringify(existing)).toBe(sdkAppends(existing))
    }
  }
})
