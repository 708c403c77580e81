// @vitest-environment jsdom
/**
 * How long the page's own trace lasts (docs/trace-lifetime.md), on what a real
 * server receives: one span id per trace, a new trace after each client-side
 * navigation, and the navigation response's Server-Timing when there are no meta
 * tags. jsdom has no Navigation API, so this is also the fallback's behaviour;
 * tests/e2e/trace-lifetime.test.ts compares the same against the Sentry SDK in Chromium.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as Runtime from '../../runtime/index.js'
import { startRecordServer, type RecordServer, setPageUrl } from '../helpers/record-server.js'

const TRACE_ID = '12345678901234567890123456789012'
const SPAN_ID = '1234567890123456'

let server: RecordServer

beforeAll(async () => {
  server = await startRecordServer()
  setPageUrl(`${server.url}page`)
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  vi.restoreAllMocks()
  vi.resetModules()
  document.head.replaceChildren()
  history.replaceState(null, '', '/page')
})

function setMeta(name: string, content: string): void {
  const meta = document.createElement('meta')
  meta.name = name
  meta.content = content
  document.head.append(meta)
}

async function freshRuntime(): Promise<typeof Runtime> {
  const runtime = await import('../../runtime/index.js')
  runtime.configure({ propagateTraceparent: true })
  runtime.pickUpMetaTags()
  return runtime
}

interface Sent {
  traceId: string
  spanId: string
  sampled?: string
  baggage?: string
  traceparent?: string
}

/** One fetch and one XHR; both must carry the same trace headers, which are returned. */
async function send(runtime: typeof Runtime): Promise<Sent> {
  server.requests.length = 0
  await runtime.tracedFetch(`${server.url}api`)
  await new Promise((resolve) => {
    const xhr = new runtime.TracedXMLHttpRequest()
    xhr.open('GET', `${server.url}api`)
    xhr.addEventListener('loadend', resolve)
    xhr.send()
  })
  const [viaFetch, viaXhr] = server.received().map(({ headers }) => ({
    sentryTrace: String(headers['sentry-trace']),
    baggage: headers.baggage as string | undefined,
    traceparent: headers.traceparent as string | undefined,
  }))
  expect(viaXhr).toEqual(viaFetch)
  const [, traceId, spanId, sampled] = /^([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?$/.exec(viaFetch!.sentryTrace)!
  return { traceId: traceId!, spanId: spanId!, sampled, baggage: viaFetch!.baggage, traceparent: viaFetch!.traceparent }
}

function expectNewTrace(sent: Sent, before: Sent): void {
  expect(sent.traceId).not.toBe(before.traceId)
  expect(sent.traceId).not.toBe(TRACE_ID)
  expect(sent.spanId).not.toBe(before.spanId)
  expect(sent.sampled, 'sampling deferred again').toBeUndefined()
  expect(sent.baggage).toBe(`sentry-trace_id=${sent.traceId}`)
  expect(sent.traceparent).toBe(`00-${sent.traceId}-${sent.spanId}-00`)
}

const nextEvent = (type: string) => new Promise((resolve) => addEventListener(type, resolve, { once: true }))

describe('within one trace', () => {
  it('every request carries the same span id, and no id is drawn per request', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    const runtime = await freshRuntime()
    const first = await send(runtime)
    const draws = vi.spyOn(crypto, 'getRandomValues')
    const second = await send(runtime)
    expect(second).toEqual(first)
    expect(first.traceparent).toBe(`00-${TRACE_ID}-${first.spanId}-01`)
    expect(draws).not.toHaveBeenCalled()
  })
})

describe('a client-side navigation starts a new trace', () => {
  it('history.pushState: a new trace id and span id, sampling deferred, and the meta tags are not read again', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    setMeta('baggage', `sentry-trace_id=${TRACE_ID},sentry-sample_rate=1`)
    const runtime = await freshRuntime()
    const pageload = await send(runtime)
    expect(pageload.traceId).toBe(TRACE_ID)
    history.pushState(null, '', '/next')
    const next = await send(runtime)
    expectNewTrace(next, pageload)
    expect(await send(runtime)).toEqual(next)
    runtime.pickUpMetaTags()
    expect(await send(runtime)).toEqual(next)
  })

  it('history.replaceState to another URL, and a pushState of just a #fragment', async () => {
    const runtime = await freshRuntime()
    const pageload = await send(runtime)
    history.replaceState(null, '', '/page?tab=2')
    const replaced = await send(runtime)
    expectNewTrace(replaced, pageload)
    history.pushState(null, '', '#part')
    expectNewTrace(await send(runtime), replaced)
  })

  it('not a pushState that keeps the URL (state only)', async () => {
    const runtime = await freshRuntime()
    const pageload = await send(runtime)
    history.pushState({ step: 2 }, '', location.href)
    history.pushState({ step: 3 }, '')
    expect(await send(runtime)).toEqual(pageload)
  })

  it('a #fragment navigation seen as it happens (popstate), even when the URL is back where the trace started by the next request', async () => {
    const runtime = await freshRuntime()
    const pageload = await send(runtime)
    const changed = nextEvent('popstate')
    location.hash = 'section'
    await changed
    // Invisible without the Navigation API; the listener already moved the trace on.
    history.replaceState(null, '', '/page')
    expectNewTrace(await send(runtime), pageload)
  })

  it('back and forward (popstate)', async () => {
    const runtime = await freshRuntime()
    history.pushState(null, '', '/a')
    const atA = await send(runtime)
    history.pushState(null, '', '/b')
    const atB = await send(runtime)
    const popped = nextEvent('popstate')
    history.back()
    await popped
    expect(location.pathname).toBe('/a')
    const back = await send(runtime)
    expectNewTrace(back, atB)
    expect(back.traceId).not.toBe(atA.traceId)
  })

  it('a page restored from the back/forward cache (pageshow, persisted)', async () => {
    const runtime = await freshRuntime()
    const pageload = await send(runtime)
    dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }))
    expect(await send(runtime)).toEqual(pageload)
    dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }))
    expectNewTrace(await send(runtime), pageload)
  })
})

describe('Server-Timing of the navigation response', () => {
  function serverTiming(entries: Record<string, string>): void {
    const navigation = { serverTiming: Object.entries(entries).map(([name, description]) => ({ name, description, duration: 0 })) }
    vi.spyOn(performance, 'getEntriesByType').mockImplementation((type) => (type === 'navigation' ? [navigation as unknown as PerformanceEntry] : []))
  }

  it('continues the trace when there are no meta tags', async () => {
    serverTiming({ 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-0`, baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.9` })
    const sent = await send(await freshRuntime())
    expect(sent).toMatchObject({ traceId: TRACE_ID, sampled: '0', baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.9` })
  })

  it('a meta tag, even an invalid one, wins over it', async () => {
    serverTiming({ 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-0` })
    setMeta('sentry-trace', 'not a trace')
    const sent = await send(await freshRuntime())
    expect(sent.traceId).not.toBe(TRACE_ID)
    expect(sent.baggage).toBe(`sentry-trace_id=${sent.traceId}`)
  })

  it('each header is looked up on its own: sentry-trace from the meta tag, baggage from Server-Timing', async () => {
    serverTiming({ baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.1` })
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    expect(await send(await freshRuntime())).toMatchObject({ traceId: TRACE_ID, sampled: '1', baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.1` })
  })
})
