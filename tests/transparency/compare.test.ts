/**
 * The corpus passes only if its comparison can fail: each kind of harm, made up
 * here, is reported as the first difference.
 */

import { describe, expect, it } from 'vitest'
import type { RecordedRequest } from '../helpers/record-server.js'
import { META_BAGGAGE, TRACE_ID } from './harness/builds.js'
import { baselineProblem, behaviourDifference, traceHeaderDifference } from './harness/compare.js'
import type { PageRun } from './harness/pages.js'

const TRACE = `${TRACE_ID}-0123456789abcdef-1`

function request(url: string, headers: Record<string, string> = {}, body = ''): RecordedRequest {
  const all = { host: 'lane0.test', accept: '*/*', ...headers }
  return { method: 'GET', url, headers: all, rawHeaders: Object.entries(all).flat(), body }
}

function run(requests: RecordedRequest[], transcript: unknown[] = [['status', 200]]): PageRun {
  return { done: true, transcript, console: ['log: hi'], pageErrors: [], requests }
}

const original = run([request('/api/a'), request('/other/b')])
const traced = run([request('/api/a', { 'sentry-trace': TRACE, baggage: META_BAGGAGE }), request('/other/b')])

describe('the transparency comparison', () => {
  it('accepts a rewritten run that only adds trace headers to targets', () => {
    expect(baselineProblem(original)).toBeUndefined()
    expect(behaviourDifference(original, traced)).toBeUndefined()
    expect(traceHeaderDifference(original, traced)).toBeUndefined()
  })

  it('reports a changed transcript, console, uncaught error or build', () => {
    expect(behaviourDifference(original, { ...traced, transcript: [['status', 500]] })).toMatch(/^transcript 0: original \["status",200\], rewritten \["status",500\]/)
    expect(behaviourDifference(original, { ...traced, console: [] })).toMatch(/^console 0/)
    expect(behaviourDifference(original, { ...traced, pageErrors: ['TypeError: x'] })).toMatch(/^uncaught error 0/)
    expect(behaviourDifference(original, { ...traced, buildError: 'boom' })).toBe('the build failed: boom')
  })

  it('holds a known difference to exactly what it says, and nothing else', () => {
    const before = run([request('/api/a'), request('/other/b')], [['prototype', true], ['constructor', true]])
    const after = (prototype: unknown, constructor = true) => ({ ...traced, transcript: [['prototype', prototype], ['constructor', constructor]] })
    expect(behaviourDifference(before, after(false), 'xhr-identity')).toBeUndefined()
    // The same label elsewhere, the other value, or another entry changed: reported.
    expect(behaviourDifference(before, after(false), 'other-scenario')).toMatch(/^transcript 0/)
    expect(behaviourDifference(before, after(true), 'xhr-identity')).toMatch(/^transcript 0/)
    expect(behaviourDifference(before, after(false, false), 'xhr-identity')).toMatch(/^transcript 1/)
  })

  it('reports a request that is missing, added, or changed in body or app headers', () => {
    expect(behaviourDifference(original, run([traced.requests[0]!]))).toMatch(/^request 1: original "GET \/other\/b", rewritten \(none\)/)
    expect(behaviourDifference(original, run([...traced.requests, request('/api/c')]))).toMatch(/^request 2/)
    expect(behaviourDifference(original, run([traced.requests[0]!, request('/other/b', {}, 'x')]))).toMatch(/^request 1 \(GET \/other\/b\) body/)
    expect(behaviourDifference(original, run([traced.requests[0]!, request('/other/b', { 'x-auth': '1' })]))).toMatch(/^request 1 \(GET \/other\/b\) header/)
  })

  it('reports a target without the trace, with two, or with the wrong trace or baggage', () => {
    expect(traceHeaderDifference(original, original)).toMatch(/^request 0 \(GET \/api\/a\) sentry-trace: undefined/)
    const twice = request('/api/a', { baggage: META_BAGGAGE })
    twice.rawHeaders.push('sentry-trace', TRACE, 'Sentry-Trace', TRACE)
    expect(traceHeaderDifference(original, run([twice, request('/other/b')]))).toMatch(/carries 2 sentry-trace headers/)
    const fresh = request('/api/a', { 'sentry-trace': '0af7651916cd43dd8448eb211c80319c-0123456789abcdef', baggage: META_BAGGAGE })
    expect(traceHeaderDifference(original, run([fresh, request('/other/b')]))).toMatch(/sentry-trace: "0af7/)
    const noBaggage = request('/api/a', { 'sentry-trace': TRACE })
    expect(traceHeaderDifference(original, run([noBaggage, request('/other/b')]))).toMatch(/baggage: undefined/)
  })

  it('reports trace headers on a request that is not a target, or a caller header overwritten', () => {
    const leaked = run([traced.requests[0]!, request('/other/b', { 'sentry-trace': TRACE })])
    expect(traceHeaderDifference(original, leaked)).toMatch(/\(not a target\)$/)
    const own = run([request('/api/a', { 'sentry-trace': 'c0ffee00c0ffee00c0ffee00c0ffee00-c0ffee00c0ffee00-0' }), request('/other/b')])
    expect(traceHeaderDifference(own, traced)).toMatch(/\(the caller set its own\)$/)
  })

  it('appends the page baggage to a caller baggage without Sentry entries, and keeps one with them', () => {
    const own = run([request('/api/a', { baggage: 'caller=c0ffee' }), request('/other/b')])
    const appended = run([request('/api/a', { 'sentry-trace': TRACE, baggage: `caller=c0ffee, ${META_BAGGAGE}` }), request('/other/b')])
    expect(traceHeaderDifference(own, appended)).toBeUndefined()
    const replaced = run([request('/api/a', { 'sentry-trace': TRACE, baggage: META_BAGGAGE }), request('/other/b')])
    expect(traceHeaderDifference(own, replaced)).toMatch(/baggage: /)
    const sentryOwn = run([request('/api/a', { baggage: 'sentry-release=c0ffee' }), request('/other/b')])
    const kept = run([request('/api/a', { 'sentry-trace': TRACE, baggage: 'sentry-release=c0ffee' }), request('/other/b')])
    expect(traceHeaderDifference(sentryOwn, kept)).toBeUndefined()
  })

  it('refuses a baseline that is not one: trace headers without the plugin, no target, no other request, a failure', () => {
    expect(baselineProblem(traced)).toMatch(/^the original GET \/api\/a carries sentry-trace/)
    expect(baselineProblem(run([request('/other/b')]))).toBe('the original page sent no request to a target')
    expect(baselineProblem(run([request('/api/a')]))).toBe('the original page sent no request outside the targets')
    expect(baselineProblem({ ...original, done: false })).toMatch(/did not finish/)
    expect(baselineProblem({ ...original, pageErrors: ['ReferenceError: x'] })).toMatch(/threw/)
  })
})
