import { AxiosHeaders } from 'axios'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { configure, randomHex, startTrace } from '../../runtime/context.js'
import {
  applyTraceHeaders,
  headerBag,
  joinWithin,
  MAX_BAGGAGE_LENGTH,
  type TraceHeaders,
} from '../../runtime/headers.js'

const OURS = 'sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-sampled=true'

/** `count` entries of exactly `size` characters each. */
function entries(count: number, size: number, prefix = 'k'): string[] {
  return Array.from({ length: count }, (_, i) => {
    const head = `${prefix}${i}=`
    return head + 'v'.repeat(size - head.length)
  })
}

describe('joinWithin', () => {
  it('keeps entries that fit and drops each one that would pass the room', () => {
    expect(joinWithin(['a=1', 'b=22', 'c=3'], 7)).toBe('a=1,c=3')
    expect(joinWithin(['a=1', 'b=2'], 100)).toBe('a=1,b=2')
    expect(joinWithin(['abcdefgh=1'], 5)).toBe('')
  })

  it('skips empty entries instead of producing stray commas', () => {
    expect(joinWithin(['', 'a=1', '', 'b=2', ''], 100)).toBe('a=1,b=2')
  })
})

/** The baggage value `applyTraceHeaders` appends after a caller's `existing` one (undefined: none appended). */
function baggageToAppend(existing: string | undefined, ours: string): string | undefined {
  const pairs: Array<[string, string]> = existing === undefined ? [] : [['baggage', existing]]
  applyTraceHeaders(headerBag(pairs), { 'sentry-trace': 'x', baggage: ours }, false)
  const appended = pairs.slice(existing === undefined ? 0 : 1).filter(([name]) => name === 'baggage')
  expect(appended.length).toBeLessThanOrEqual(1)
  return appended[0]?.[1]
}

describe('the baggage applyTraceHeaders appends', () => {
  it('gives all of ours when the caller sent no baggage', () => {
    expect(baggageToAppend(undefined, OURS)).toBe(OURS)
  })

  it('gives nothing when the caller baggage already has a sentry- entry', () => {
    expect(baggageToAppend('sentry-trace_id=abc', OURS)).toBeUndefined()
    expect(baggageToAppend('other=1, sentry-release=1.0', OURS)).toBeUndefined()
    expect(baggageToAppend('other=1,\tsentry-release=1.0', OURS)).toBeUndefined()
  })

  it('gives ours to append after a caller baggage without sentry- entries', () => {
    expect(baggageToAppend('vendor=1', OURS)).toBe(OURS)
    // A value merely containing "sentry-" is not a sentry- entry.
    expect(baggageToAppend('vendor=no-sentry-here', OURS)).toBe(OURS)
  })

  it('keeps the merged total within 8192 characters, dropping our entries that do not fit', () => {
    const existing = 'vendor=' + 'x'.repeat(8000)
    const small = 'sentry-a=1'
    const big = 'sentry-b=' + 'y'.repeat(300)
    const appended = baggageToAppend(existing, `${big},${small}`)
    expect(appended).toBe(small)
    expect(`${existing}, ${appended}`.length).toBeLessThanOrEqual(MAX_BAGGAGE_LENGTH)
  })

  it('fills up to exactly the cap and not one character more', () => {
    // existing + ", " + 2 entries of 100 joined by "," = 8192 exactly.
    const ours = entries(3, 100, 'sentry-')
    const existing = 'x=' + 'v'.repeat(MAX_BAGGAGE_LENGTH - 2 - 201 - 2)
    const appended = baggageToAppend(existing, ours.join(','))
    expect(appended).toBe(ours.slice(0, 2).join(','))
    expect(`${existing}, ${appended}`).toHaveLength(MAX_BAGGAGE_LENGTH)
  })

  it('caps our own baggage when the caller sent none', () => {
    const ours = entries(100, 100, 'sentry-')
    const appended = baggageToAppend(undefined, ours.join(','))!
    expect(appended.length).toBeLessThanOrEqual(MAX_BAGGAGE_LENGTH)
    // 81 entries of 100 plus 80 commas = 8180; an 82nd would pass the cap.
    expect(appended.split(',')).toHaveLength(81)
  })

  it('gives nothing when not one of our entries fits', () => {
    expect(baggageToAppend('x='.padEnd(MAX_BAGGAGE_LENGTH - 3, 'v'), 'sentry-a=1')).toBeUndefined()
  })
})

describe('headerBag and applyTraceHeaders', () => {
  const trace: TraceHeaders = {
    'sentry-trace': '0123456789abcdef0123456789abcdef-0123456789abcdef-1',
    baggage: OURS,
    traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
  }

  it('adds all three to empty headers of every shape', () => {
    const headers = new Headers()
    // fetch's Headers is a bag as it is.
    applyTraceHeaders(headers, trace, true)
    expect(Object.fromEntries(headers)).toEqual(trace)

    const record: Record<string, string> = {}
    applyTraceHeaders(headerBag(record), trace, true)
    expect(record).toEqual(trace)

    const pairs: Array<[string, string]> = []
    applyTraceHeaders(headerBag(pairs), trace, true)
    expect(pairs).toEqual([
      ['sentry-trace', trace['sentry-trace']],
      ['traceparent', trace.traceparent],
      ['baggage', trace.baggage],
    ])
  })

  it('reads names case-insensitively and combines repeated ones', () => {
    const pairs = headerBag([
      ['BAGGAGE', 'a=1'],
      ['x', 'y'],
      ['Baggage', 'b=2'],
    ])
    expect(pairs.get('baggage')).toBe('a=1, b=2')
    expect(pairs.get('traceparent')).toBeUndefined()
    const record = headerBag({ TraceParent: 'tp', Baggage: 'a=1', baggage: 'b=2', 'sentry-trace': undefined })
    expect(record.get('traceparent')).toBe('tp')
    expect(record.get('baggage')).toBe('a=1, b=2')
    // axios leaves out nullish header values, so they count as unset.
    expect(record.get('sentry-trace')).toBeUndefined()
  })

  it('sends traceparent only when opted in, whatever the trace source returned', () => {
    const record: Record<string, string> = {}
    applyTraceHeaders(headerBag(record), trace, false)
    expect(record).toEqual({ 'sentry-trace': trace['sentry-trace'], baggage: OURS })
  })

  it('keeps a caller traceparent in any letter case', () => {
    const record: Record<string, string> = { TRACEPARENT: 'theirs' }
    applyTraceHeaders(headerBag(record), trace, true)
    expect(record).toEqual({ TRACEPARENT: 'theirs', 'sentry-trace': trace['sentry-trace'], baggage: OURS })
  })

  it('appends to a caller baggage without sentry- entries, in place for objects', () => {
    const record: Record<string, string> = { BaGGage: 'vendor=1' }
    applyTraceHeaders(headerBag(record), { 'sentry-trace': trace['sentry-trace'], baggage: OURS }, true)
    expect(record).toEqual({ BaGGage: `vendor=1, ${OURS}`, 'sentry-trace': trace['sentry-trace'] })

    const twice: Record<string, string> = { Baggage: 'a=1', baggage: 'b=2' }
    applyTraceHeaders(headerBag(twice), trace, true)
    expect(twice).toEqual({ Baggage: 'a=1', baggage: `b=2, ${OURS}`, 'sentry-trace': trace['sentry-trace'], traceparent: trace.traceparent })

    const headers = new Headers([['Baggage', 'vendor=1']])
    applyTraceHeaders(headers, trace, true)
    expect(headers.get('baggage')).toBe(`vendor=1, ${OURS}`)

    const pairs: Array<[string, string]> = [['baggage', 'vendor=1']]
    applyTraceHeaders(headerBag(pairs), trace, true)
    expect(pairs.filter(([name]) => name === 'baggage')).toEqual([
      ['baggage', 'vendor=1'],
      ['baggage', OURS],
    ])
  })

  it('leaves a caller baggage that has a sentry- entry alone', () => {
    const headers = new Headers({ baggage: 'sentry-trace_id=theirs,vendor=1' })
    applyTraceHeaders(headerBag(headers), trace, true)
    expect(headers.get('baggage')).toBe('sentry-trace_id=theirs,vendor=1')
  })

  it("works on axios's AxiosHeaders, which keeps each header as an own property", () => {
    const headers = new AxiosHeaders({ BaGGage: 'vendor=1', 'X-Other': 'y' })
    applyTraceHeaders(headerBag(headers), { 'sentry-trace': trace['sentry-trace'], baggage: OURS }, true)
    expect(headers.get('baggage')).toBe(`vendor=1, ${OURS}`)
    expect(headers.get('Sentry-Trace')).toBe(trace['sentry-trace'])
    expect(headers.toJSON()).toEqual({ BaGGage: `vendor=1, ${OURS}`, 'X-Other': 'y', 'sentry-trace': trace['sentry-trace'] })
    expect(headerBag(new AxiosHeaders({ 'SENTRY-TRACE': 'theirs' })).get('sentry-trace')).toBe('theirs')
  })
})

describe('ids and the default trace headers', () => {
  afterEach(() => {
    configure({})
    vi.restoreAllMocks()
  })

  it('makes lowercase hex ids of the asked length, random each time', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 50; i++) {
      const id = randomHex(16)
      expect(id).toMatch(/^[0-9a-f]{32}$/)
      seen.add(id)
    }
    expect(seen.size).toBe(50)
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/)
  })

  it('never returns an all-zero id, even from a source of zeros', () => {
    vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => array)
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/)
    expect(randomHex(16)).not.toMatch(/^0+$/)
    expect(randomHex(8)).not.toMatch(/^0+$/)
  })

  function defaultHeaders(): Record<string, string> {
    const record: Record<string, string> = {}
    // The page's own context wants no end of request.
    expect(startTrace({ url: '/api', method: 'GET', transport: 'fetch' }, () => headerBag(record))).toBe(true)
    return record
  }

  it('without a document: one fresh trace and its one span id, no flag, its trace id as the baggage', () => {
    const first = defaultHeaders()
    const second = defaultHeaders()
    expect(Object.keys(first)).toEqual(['sentry-trace', 'baggage'])
    expect(first['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
    expect(first.baggage).toBe(`sentry-trace_id=${first['sentry-trace']!.split('-')[0]}`)
    expect(second).toEqual(first)
  })

  it('traceparent only when configured, 00 flags for an unknown decision, same ids as sentry-trace', () => {
    configure({ propagateTraceparent: true })
    const headers = defaultHeaders()
    const [traceId, spanId] = headers['sentry-trace']!.split('-')
    expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-00`)
    configure({})
    expect(defaultHeaders().traceparent).toBeUndefined()
  })

  it('adds nothing and starts nothing when the caller set sentry-trace', () => {
    const record = { 'Sentry-Trace': 'theirs' }
    expect(startTrace({ url: '/', method: 'GET', transport: 'fetch' }, () => headerBag(record))).toBe(false)
    expect(record).toEqual({ 'Sentry-Trace': 'theirs' })
  })
})
