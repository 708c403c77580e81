/**
 * The Sentry SDK trace source against a recording stand-in of the SDK: which span
 * it starts (name, attributes, parent rules), which headers go out, how the span
 * ends, and the fallbacks. The real SDKs, in a real browser, are in tests/e2e.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { configure, setTraceSource, tracedFetch, type StartedRequest, type TracedRequest } from '../../runtime/index.js'
import { connectSentry, sentryTraceSource, type SentryApi, type SentrySpan } from '../../runtime/sentry.js'

interface FakeSpan extends SentrySpan {
  name: string
  attributes: Record<string, unknown>
  calls: string[]
}

const TRACE_DATA = {
  'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1',
  baggage: 'sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sampled=true',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
}

interface FakeOptions {
  client?: boolean
  tracesSampleRate?: number
  traceLifecycle?: 'stream' | 'static'
  activeSpan?: boolean
  traceData?: Record<string, string>
}

function fakeSentry(options: FakeOptions = {}) {
  const { client = true, traceLifecycle = 'static', activeSpan = true, traceData = TRACE_DATA } = options
  const tracesSampleRate = 'tracesSampleRate' in options ? options.tracesSampleRate : 1
  const spans: FakeSpan[] = []
  const traceDataCalls: Array<{ span?: SentrySpan; propagateTraceparent?: boolean }> = []
  const dropped: string[] = []
  const sentry: SentryApi<FakeSpan> = {
    getClient: () =>
      client
        ? { getOptions: () => ({ tracesSampleRate, traceLifecycle }), recordDroppedEvent: (reason) => void dropped.push(reason) }
        : undefined,
    getActiveSpan: () => (activeSpan ? ({ name: 'pageload' } as FakeSpan) : undefined),
    startInactiveSpan({ name, attributes }) {
      const span: FakeSpan = {
        name,
        attributes,
        calls: [],
        end: () => void span.calls.push('end'),
        setStatus: (status) => void span.calls.push(`status ${status.code} ${status.message}`),
      }
      spans.push(span)
      return span
    },
    getTraceData(options) {
      traceDataCalls.push(options)
      return traceData
    },
    setHttpStatus: (span, status) => void span.calls.push(`http ${status}`),
  }
  return { sentry, spans, traceDataCalls, dropped }
}

const request = (url: string, transport: TracedRequest['transport'] = 'fetch', method = 'GET'): TracedRequest => ({ url, method, transport })

function start(sentry: SentryApi<FakeSpan>, traced: TracedRequest, propagateTraceparent = false): StartedRequest {
  const started = sentryTraceSource(sentry).startRequest(traced, { propagateTraceparent })
  expect(started).toBeDefined()
  return started!
}

describe('with a parent span', () => {
  it('starts an http.client span named and described as the SDK names its own request spans', () => {
    const { sentry, spans } = fakeSentry()
    start(sentry, request('https://user:secret@api.example.com:8443/orders/7?token=x#top', 'xhr', 'POST'))
    expect(spans).toHaveLength(1)
    expect(spans[0]!.name).toBe('POST https://api.example.com:8443/orders/7')
    expect(spans[0]!.attributes).toEqual({
      type: 'xhr',
      'http.request.method': 'POST',
      'url.full': 'https://api.example.com:8443/orders/7',
      'url.domain': 'api.example.com',
      'server.address': 'api.example.com',
      'server.port': 8443,
      'sentry.origin': 'auto.http.browser',
      'sentry.op': 'http.client',
    })
  })

  it('names a relative URL by its path, without query', () => {
    const { sentry, spans } = fakeSentry()
    start(sentry, request('/api/items?page=2'))
    expect(spans[0]!.name).toBe('GET /api/items')
    expect(spans[0]!.attributes.type).toBe('fetch')
  })

  it('names streamed spans METHOD host, as the SDK keeps them low-cardinality', () => {
    const { sentry, spans } = fakeSentry({ traceLifecycle: 'stream' })
    start(sentry, request('https://api.example.com/orders/7'))
    expect(spans[0]!.name).toBe('GET api.example.com')
  })

  it('sends the headers getTraceData gives for that span; traceparent only when asked', () => {
    const { sentry, spans, traceDataCalls } = fakeSentry()
    const started = start(sentry, request('https://api.example.com/orders'))
    expect(traceDataCalls).toEqual([{ span: spans[0], propagateTraceparent: false }])
    expect(started.headers).toEqual({ ...TRACE_DATA })
    start(sentry, request('https://api.example.com/orders'), true)
    expect(traceDataCalls[1]).toEqual({ span: spans[1], propagateTraceparent: true })
  })

  it('ends the span with the HTTP status, or as internal_error when the request failed', () => {
    const { sentry, spans } = fakeSentry()
    start(sentry, request('/a')).end!({ status: 404 })
    start(sentry, request('/b')).end!({ error: new TypeError('Failed to fetch') })
    expect(spans.map((span) => span.calls)).toEqual([
      ['http 404', 'end'],
      ['status 2 internal_error', 'end'],
    ])
  })
})

describe('without a parent span', () => {
  it('records no span with classic transactions (as the SDK), counts it dropped, and still sends the SDK trace', () => {
    const { sentry, spans, traceDataCalls, dropped } = fakeSentry({ activeSpan: false })
    const started = start(sentry, request('/api/items'))
    expect(spans).toHaveLength(0)
    expect(dropped).toEqual(['no_parent_span'])
    expect(traceDataCalls).toEqual([{ span: undefined, propagateTraceparent: false }])
    expect(started.headers['sentry-trace']).toBe(TRACE_DATA['sentry-trace'])
    expect(started.end).toBeUndefined()
  })

  it('records a standalone span when spans are streamed', () => {
    const { sentry, spans } = fakeSentry({ activeSpan: false, traceLifecycle: 'stream' })
    start(sentry, request('/api/items'))
    expect(spans).toHaveLength(1)
  })
})

it('records no span when tracing is off (no tracesSampleRate), and sends the SDK trace', () => {
  const { sentry, spans, dropped } = fakeSentry({ tracesSampleRate: undefined })
  const started = start(sentry, request('/api/items'))
  expect(spans).toHaveLength(0)
  expect(dropped).toEqual([])
  expect(started.headers['sentry-trace']).toBe(TRACE_DATA['sentry-trace'])
})

describe('falls back to the page context', () => {
  const PAGE_TRACE = /^[0-9a-f]{32}-[0-9a-f]{16}$/

  it('before Sentry.init (no client)', () => {
    const { sentry, spans, traceDataCalls } = fakeSentry({ client: false })
    const started = start(sentry, request('/api/items'))
    expect(started.headers['sentry-trace']).toMatch(PAGE_TRACE)
    expect(spans).toHaveLength(0)
    expect(traceDataCalls).toHaveLength(0)
  })

  it('when the SDK gives no trace data (a client that is not enabled), ending the span it started', () => {
    const { sentry, spans } = fakeSentry({ traceData: {} })
    const started = start(sentry, request('/api/items'))
    expect(started.headers['sentry-trace']).toMatch(PAGE_TRACE)
    expect(spans[0]!.calls).toEqual(['end'])
  })
})

it('rejects something that is not a Sentry SDK (v8+), naming what is missing', () => {
  const { sentry } = fakeSentry()
  const { getTraceData: _missing, ...old } = sentry
  expect(() => connectSentry(old as unknown as SentryApi)).toThrow(/getTraceData/)
})

describe('through the runtime', () => {
  beforeEach(() => {
    configure({ tracePropagationTargets: ['api.example.com'] })
  })

  afterEach(() => {
    setTraceSource(undefined)
    vi.unstubAllGlobals()
  })

  it('a traced fetch carries the SDK headers and its span ends with the response status', async () => {
    const { sentry, spans } = fakeSentry()
    const seen: Headers[] = []
    vi.stubGlobal('fetch', async (_input: unknown, init?: RequestInit) => {
      seen.push(new Headers(init?.headers))
      return new Response('{}', { status: 503 })
    })
    connectSentry(sentry)
    await tracedFetch('https://api.example.com/orders')
    await tracedFetch('https://elsewhere.example.com/')
    expect(seen[0]!.get('sentry-trace')).toBe(TRACE_DATA['sentry-trace'])
    expect(seen[0]!.get('baggage')).toBe(TRACE_DATA.baggage)
    expect(seen[0]!.has('traceparent')).toBe(false)
    expect(seen[1]!.has('sentry-trace')).toBe(false)
    await vi.waitFor(() => expect(spans.map((span) => span.calls)).toEqual([['http 503', 'end']]))
  })

  it('a caller that set sentry-trace itself gets no span and keeps its header', async () => {
    const { sentry, spans } = fakeSentry()
    const seen: Headers[] = []
    vi.stubGlobal('fetch', async (_input: unknown, init?: RequestInit) => {
      seen.push(new Headers(init?.headers))
      return new Response('{}')
    })
    connectSentry(sentry)
    await tracedFetch('https://api.example.com/orders', { headers: { 'Sentry-Trace': 'mine' } })
    expect(seen[0]!.get('sentry-trace')).toBe('mine')
    expect(spans).toHaveLength(0)
  })
})
