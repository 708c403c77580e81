/**
 * One connected trace, proven in Chromium against the real @sentry/node and
 * @sentry/browser: the example app (examples/app), built with the Vite and esbuild
 * plugins, served by its instrumented backend, calling a second instrumented origin
 * and a third party, with a fake Sentry ingest collecting every span.
 * Everything runs on 127.0.0.1 and is started and stopped here.
 */

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildExample } from '../../examples/app/build.js'
import type { IngestedSpan } from '../../examples/harness/ingest.js'
import { startStack, type Stack, type Visit } from '../../examples/harness/stack.js'
import { TAMPERED_META, type ReceivedRequest } from '../../examples/server/protocol.js'

const OUT = fileURLToPath(new URL('../.tmp/e2e', import.meta.url))
const SENTRY_TRACE = /^([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?$/
const TRANSPORTS = ['fetch', 'xhr', 'axios']

/** Where each build's pages are served (examples/server/main.ts). */
const BUILDS = [
  { bundler: 'Vite', base: '/' },
  { bundler: 'esbuild', base: '/esbuild/' },
]

let stack: Stack

beforeAll(async () => {
  // The backend reads the build only when pages are requested: start both at once.
  const [started, built] = await Promise.allSettled([startStack(OUT), buildExample(OUT)])
  if (started.status === 'fulfilled') stack = started.value
  for (const result of [built, started]) if (result.status === 'rejected') throw result.reason
}, 120_000)

afterAll(async () => {
  await stack?.close()
})

/** Visit with fresh request logs, so everything logged afterwards belongs to this page. */
async function visit(path: string, options?: Parameters<Stack['visit']>[1]): Promise<Visit> {
  stack.backend.requests.length = 0
  stack.thirdParty.requests.length = 0
  return stack.visit(path, options)
}

function parseTrace(value: string | null | undefined): { traceId: string; spanId: string; sampled?: string } {
  const match = SENTRY_TRACE.exec(value ?? '')
  if (!match) throw new Error(`not a sentry-trace value: ${JSON.stringify(value)}`)
  return { traceId: match[1]!, spanId: match[2]!, sampled: match[3] }
}

/** The app's traced requests (GET /api/... on either server), by server and `via`. */
function apiRequests(): ReceivedRequest[] {
  return stack.backend.requests.filter((request) => request.method === 'GET' && request.url.startsWith('/api/'))
}

const via = (url: string) => new URL(url, 'http://x').searchParams.get('via')
const header = (request: ReceivedRequest, name: string) => request.headers[name] as string | undefined

function expectAllSucceeded(page: Visit): void {
  expect(page.errors).toEqual([])
  expect(page.results).toHaveLength(9)
  for (const result of page.results) expect(result, `${result.target} ${result.transport}`).toMatchObject({ outcome: 200 })
}

function expectThirdPartyUntouched(): void {
  const requests = stack.thirdParty.requests
  expect(requests.map((request) => `${request.method} ${via(request.url)}`).sort()).toEqual(['GET axios', 'GET fetch', 'GET xhr'])
  for (const request of requests) {
    expect(request.headers).not.toHaveProperty('sentry-trace')
    expect(request.headers).not.toHaveProperty('baggage')
    expect(request.headers).not.toHaveProperty('traceparent')
  }
}

/**
 * The http.server span each traced request started on its server, once the ingest
 * has all of them: a child of the span id the request carried, for its path, and
 * a different one per request (requests of one page trace share their span id).
 */
async function serverSpansFor(requests: ReceivedRequest[], traceId: string): Promise<Map<ReceivedRequest, IngestedSpan>> {
  const match = (spans: IngestedSpan[]) => {
    const taken = new Set<IngestedSpan>()
    return requests.map((request) => {
      const { spanId } = parseTrace(header(request, 'sentry-trace'))
      const path = new URL(request.url, 'http://x').pathname
      const span = spans.find(
        (span) => !taken.has(span) && span.op === 'http.server' && span.traceId === traceId && span.parentSpanId === spanId && span.attributes['url.path'] === path,
      )
      if (span) taken.add(span)
      return [request, span] as const
    })
  }
  const spans = await stack.ingest.waitFor(
    (spans) => match(spans).every(([, span]) => span),
    15_000,
    () => `missing server spans for ${match(stack.ingest.spans).filter(([, span]) => !span).map(([request]) => request.url)}`,
  )
  return new Map(match(spans).map(([request, span]) => [request, span!]))
}

describe.each(BUILDS)('standalone, no Sentry SDK in the page ($bundler)', ({ base }) => {
  let page: Visit
  let requests: ReceivedRequest[]
  let meta: ReturnType<typeof parseTrace>

  beforeAll(async () => {
    page = await visit(base)
    requests = apiRequests()
    meta = parseTrace(page.meta.sentryTrace)
  }, 60_000)

  it('sends every request to a target with the meta tag trace id, one span id of the page, its sampled flag and its baggage', () => {
    expectAllSucceeded(page)
    expect(requests.map((request) => `${request.server} ${via(request.url)}`).sort()).toEqual(
      TRANSPORTS.flatMap((transport) => [`api ${transport}`, `app ${transport}`]).sort(),
    )
    const spanIds = new Set<string>()
    for (const request of requests) {
      const sent = parseTrace(header(request, 'sentry-trace'))
      expect(sent.traceId, request.url).toBe(meta.traceId)
      expect(sent.sampled, request.url).toBe(meta.sampled)
      expect(sent.spanId).not.toBe(meta.spanId)
      spanIds.add(sent.spanId)
      expect(header(request, 'baggage'), request.url).toBe(page.meta.baggage)
      expect(request.headers).not.toHaveProperty('traceparent')
    }
    // One propagation span id for the whole trace, as the Sentry SDK keeps.
    expect(spanIds.size).toBe(1)
    expect(meta.sampled).toBe('1')
    expect(page.meta.baggage).toContain(`sentry-trace_id=${meta.traceId}`)
  })

  it('makes each API server span a child of the span id its request carried, in the meta tag trace', async () => {
    const spans = await serverSpansFor(requests, meta.traceId)
    for (const [request, span] of spans) {
      expect(span.sdk).toBe('sentry.javascript.node')
      expect(span.attributes['url.path']).toBe(new URL(request.url, 'http://x').pathname)
    }
  })

  it('gets the cross-origin requests through their CORS preflight, with the headers and no console error', () => {
    const preflights = stack.backend.requests.filter((request) => request.method === 'OPTIONS')
    expect(preflights.map((request) => `${request.server} ${via(request.url)}`).sort()).toEqual(['api axios', 'api fetch', 'api xhr'])
    for (const preflight of preflights) {
      expect(header(preflight, 'access-control-request-headers')?.split(',').sort()).toEqual(['baggage', 'sentry-trace'])
    }
    const crossOrigin = requests.filter((request) => request.server === 'api')
    expect(crossOrigin).toHaveLength(3)
    for (const request of crossOrigin) expect(header(request, 'sentry-trace')).toMatch(SENTRY_TRACE)
    expect(page.errors).toEqual([])
  })

  it('sends the third party no trace header and causes no preflight there', () => {
    expectThirdPartyUntouched()
  })

  it('patches no global: fetch and XMLHttpRequest.prototype are the functions the page started with', () => {
    expect(page.replacedGlobals).toEqual([])
  })

  it('traces requests in a page whose fetch is non-writable and whose XMLHttpRequest.prototype is frozen', async () => {
    const locked = await visit(base, { lockGlobals: true })
    expectAllSucceeded(locked)
    expect(locked.replacedGlobals).toEqual([])
    const { traceId } = parseTrace(locked.meta.sentryTrace)
    const traced = apiRequests()
    expect(traced).toHaveLength(6)
    for (const request of traced) expect(parseTrace(header(request, 'sentry-trace')).traceId, request.url).toBe(traceId)
    expectThirdPartyUntouched()
  })

  it.each(TAMPERED_META)('ignores a tampered sentry-trace meta tag (%s) and starts a fresh trace', async (kind) => {
    const tampered = await visit(`${base}?meta=${kind}`)
    expectAllSucceeded(tampered)
    const bad = tampered.meta.sentryTrace ?? ''
    expect(bad).not.toMatch(SENTRY_TRACE)
    // The genuine trace, whose id the broken tag was made from.
    const genuine = /sentry-trace_id=([0-9a-f]{32})/.exec(tampered.meta.baggage ?? '')![1]!
    const traced = apiRequests()
    expect(traced).toHaveLength(6)
    const traceIds = new Set<string>()
    for (const request of traced) {
      const sent = parseTrace(header(request, 'sentry-trace'))
      expect(sent.sampled, 'a fresh trace defers sampling').toBeUndefined()
      traceIds.add(sent.traceId)
      // Not the ignored trace's baggage: the fresh trace's own.
      expect(header(request, 'baggage')).toBe(`sentry-trace_id=${sent.traceId}`)
      expect(request.headers).not.toHaveProperty('x-injected')
      for (const value of Object.values(request.headers)) expect(String(value)).not.toContain(bad)
    }
    expect(traceIds.size, 'one fresh trace for the page').toBe(1)
    expect(traceIds.has(genuine)).toBe(false)
    expect(bad.toLowerCase()).not.toContain([...traceIds][0])
  })
})

// v11 streams spans (`span` envelope items) by default; `static` sends transactions.
const INTEROP = [
  ...BUILDS.map((build) => ({ ...build, lifecycle: 'stream' })),
  { bundler: 'Vite', base: '/', lifecycle: 'static' },
]

describe.each(INTEROP)('with the Sentry browser SDK, through connectSentry ($bundler, $lifecycle spans)', ({ base, lifecycle }) => {
  let page: Visit
  let meta: ReturnType<typeof parseTrace>
  let requests: ReceivedRequest[]

  /** The trace as the ingest has it, once the pageload and every span of the page's requests arrived. */
  const inTrace = (spans: IngestedSpan[]) => spans.filter((span) => span.traceId === meta.traceId)
  const pageload = (spans: IngestedSpan[]) => inTrace(spans).find((span) => span.op === 'pageload')
  const clientSpans = (spans: IngestedSpan[]) => inTrace(spans).filter((span) => span.op === 'http.client')

  beforeAll(async () => {
    page = await visit(`${base}sentry.html?lifecycle=${lifecycle}`, {
      // The pageload span ends (and is sent) once the page has been idle for a second.
      beforeClose: (visited) => {
        meta = parseTrace(visited.meta.sentryTrace)
        return stack.ingest.waitFor(
          (spans) => !!pageload(spans) && clientSpans(spans).length >= 6,
          20_000,
          () => `no pageload span with 6 http.client spans; the trace has ${JSON.stringify(inTrace(stack.ingest.spans).map((span) => `${span.sdk} ${span.op} ${span.name}`))}`,
        )
      },
    })
    requests = apiRequests()
  }, 60_000)

  it('records the page server span, the pageload, the http.client spans and the API server spans as one trace', async () => {
    expectAllSucceeded(page)
    const serverSpans = await serverSpansFor(requests, meta.traceId)
    const spans = inTrace(stack.ingest.spans)

    // The page server's span, whose id the meta tag carries, is in the segment of its request.
    const metaSpan = spans.find((span) => span.spanId === meta.spanId)
    expect(metaSpan?.sdk).toBe('sentry.javascript.node')
    const pageServer = spans.find((span) => span.op === 'http.server' && (span.spanId === meta.spanId || span.spanId === metaSpan?.parentSpanId))
    expect(pageServer?.attributes['url.path']).toBe(`${base}sentry.html`)

    const load = pageload(spans)!
    expect(load).toMatchObject({ sdk: 'sentry.javascript.browser', parentSpanId: meta.spanId })

    const clients = clientSpans(spans)
    expect(clients).toHaveLength(6)
    for (const client of clients) {
      expect(client).toMatchObject({ sdk: 'sentry.javascript.browser', origin: 'auto.http.browser', parentSpanId: load.spanId, status: 'ok' })
    }

    expect(requests).toHaveLength(6)
    for (const [request, server] of serverSpans) {
      const sent = parseTrace(header(request, 'sentry-trace'))
      const client = clients.find((span) => span.spanId === sent.spanId)
      expect(client, `the http.client span of ${request.url}`).toBeDefined()
      expect(server.parentSpanId).toBe(client!.spanId)
      // The matching request: same path, and the transport the SDK would name.
      expect(new URL(String(client!.attributes['url.full'])).pathname).toBe(server.attributes['url.path'])
      expect(client!.attributes.type).toBe(via(request.url) === 'fetch' ? 'fetch' : 'xhr')
      expect(client!.attributes['http.request.method']).toBe('GET')
      // Named as the SDK names its own: low-cardinality when streamed.
      const url = new URL(String(client!.attributes['url.full']))
      const name = lifecycle === 'stream' ? url.hostname : request.server === 'app' ? url.pathname : url.origin + url.pathname
      expect(client!.name).toBe(`GET ${name}`)
      expect(header(request, 'baggage')).toContain(`sentry-trace_id=${meta.traceId}`)
    }
  })

  it('sends the third party nothing, with no preflight', () => {
    expectThirdPartyUntouched()
  })

  it('patches no global, with the SDK fetch/XHR instrumentation and breadcrumbs turned off, and logs no error', () => {
    expect(page.replacedGlobals).toEqual([])
    expect(page.errors).toEqual([])
  })
})
