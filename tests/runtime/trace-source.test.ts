/**
 * Plugging in a trace source (what the Sentry SDK will do), seen through fetch
 * against a real server. The XHR and axios sides are in their own test files.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { configure, setTraceSource, tracedFetch, type RequestOutcome, type TraceHeaders } from '../../runtime/index.js'
import { refusedUrl, recordServerForFile } from '../helpers/record-server.js'
import { recordingSource } from '../helpers/trace-source.js'

const TRACE: TraceHeaders = {
  'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0',
  baggage: 'sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sampled=false',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00',
}

const server = recordServerForFile()

beforeEach(() => {
  server.requests.length = 0
  configure({ tracePropagationTargets: [server.origin, '127.0.0.1'] })
  setTraceSource(undefined)
})

/** Lets the `.then` that reports the outcome run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('a plugged-in trace source', () => {
  it('gets url, method and transport, and its headers are what is sent', async () => {
    const source = recordingSource(TRACE)
    configure({ tracePropagationTargets: [server.origin], propagateTraceparent: true })
    await tracedFetch(`${server.url}items?page=1`, { method: 'post', body: 'x' })
    expect(source.requests).toEqual([{ url: `${server.url}items?page=1`, method: 'POST', transport: 'fetch' }])
    expect(source.options).toEqual([{ propagateTraceparent: true }])
    const [seen] = server.received()
    expect(seen!.headers['sentry-trace']).toBe(TRACE['sentry-trace'])
    expect(seen!.headers.baggage).toBe(TRACE.baggage)
    expect(seen!.headers.traceparent).toBe(TRACE.traceparent)
  })

  it('takes the method from a Request when init has none', async () => {
    const source = recordingSource(TRACE)
    await tracedFetch(new Request(`${server.url}r`, { method: 'DELETE' }))
    expect(source.requests[0]!.method).toBe('DELETE')
  })

  it('is ended once with the status, for success and for an HTTP error alike', async () => {
    const source = recordingSource(TRACE)
    await tracedFetch(`${server.url}ok`)
    await tracedFetch(`${server.url}status/503`)
    await settled()
    expect(source.outcomes).toEqual([{ status: 200 }, { status: 503 }])
  })

  it('is ended once with the error of a refused connection, which the caller still gets', async () => {
    const source = recordingSource(TRACE)
    const error = await tracedFetch(await refusedUrl()).catch((caught: unknown) => caught)
    await settled()
    expect(error).toBeInstanceOf(TypeError)
    expect(source.outcomes).toEqual([{ error }])
  })

  it('is not asked about requests that do not match', async () => {
    const source = recordingSource(TRACE)
    configure({ tracePropagationTargets: ['https://api.example.com'] })
    await tracedFetch(`${server.url}other`)
    expect(source.requests).toHaveLength(0)
    expect(server.received()[0]!.headers['sentry-trace']).toBeUndefined()
  })

  it('returning undefined sends nothing', async () => {
    setTraceSource({ startRequest: () => undefined })
    await tracedFetch(`${server.url}nothing`, { headers: { 'x-custom': 'kept' } })
    const [seen] = server.received()
    expect(seen!.headers['sentry-trace']).toBeUndefined()
    expect(seen!.headers['x-custom']).toBe('kept')
  })

  it('a source that throws, or whose end throws, never breaks the request', async () => {
    setTraceSource({
      startRequest() {
        throw new Error('source bug')
      },
    })
    expect((await tracedFetch(`${server.url}throws`)).status).toBe(200)
    setTraceSource({
      startRequest: () => ({
        headers: TRACE,
        end() {
          throw new Error('end bug')
        },
      }),
    })
    expect((await tracedFetch(`${server.url}end-throws`)).status).toBe(200)
    await settled()
    const [first, second] = server.received()
    expect(first!.headers['sentry-trace']).toBeUndefined()
    expect(second!.headers['sentry-trace']).toBe(TRACE['sentry-trace'])
  })

  it('headers a fetch cannot send are not sent, and the started request is ended', async () => {
    const outcomes: RequestOutcome[] = []
    setTraceSource({
      startRequest: () => ({
        headers: { 'sentry-trace': 'bad\r\nvalue' },
        end: (outcome) => void outcomes.push(outcome),
      }),
    })
    expect((await tracedFetch(`${server.url}bad`, { headers: new Headers() })).status).toBe(200)
    expect(server.received()[0]!.headers['sentry-trace']).toBeUndefined()
    expect(outcomes).toHaveLength(1)
    expect(outcomes[0]!.error).toBeInstanceOf(TypeError)
  })

  it('setTraceSource(undefined) goes back to the page context', async () => {
    recordingSource(TRACE)
    setTraceSource(undefined)
    await tracedFetch(`${server.url}default`)
    expect(server.received()[0]!.headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
  })
})
