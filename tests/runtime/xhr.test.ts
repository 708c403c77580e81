// @vitest-environment jsdom
/**
 * TracedXMLHttpRequest against jsdom's real XMLHttpRequest and a real server, with
 * the page served from that server's origin.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { configure, setTraceSource, traceXhrIfGlobal, TracedXMLHttpRequest, type TraceHeaders } from '../../runtime/index.js'
import {
  refusedUrl,
  startEchoServerThread,
  startRecordServer,
  type RecordServer,
  setPageUrl,
} from '../helpers/record-server.js'
import { recordingSource } from '../helpers/trace-source.js'

const SENTRY_TRACE = /^[0-9a-f]{32}-[0-9a-f]{16}$/
const TRACE: TraceHeaders = {
  'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1',
  baggage: 'sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sampled=true',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
}

let server: RecordServer
/** Same server, other origin: `localhost` is not `127.0.0.1` to the page. */
let crossOrigin: string

beforeAll(async () => {
  server = await startRecordServer()
  crossOrigin = server.url.replace('127.0.0.1', 'localhost')
  setPageUrl(`${server.url}page`)
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  server.requests.length = 0
  configure({})
  setTraceSource(undefined)
})

afterEach(() => {
  vi.unstubAllGlobals()
})

/** Resolves with the XHR once `loadend` fired (listener added before send). */
function done(xhr: XMLHttpRequest): Promise<XMLHttpRequest> {
  return new Promise((resolve) => xhr.addEventListener('loadend', () => resolve(xhr)))
}

async function request(
  url: string | URL,
  headers: Array<[string, string]> = [],
  method = 'GET',
): Promise<XMLHttpRequest> {
  const xhr = new TracedXMLHttpRequest()
  xhr.open(method, url)
  for (const [name, value] of headers) xhr.setRequestHeader(name, value)
  const finished = done(xhr)
  xhr.send(method === 'POST' ? 'xhr body' : null)
  return finished
}

describe('TracedXMLHttpRequest', () => {
  it('is an XMLHttpRequest and adds sentry-trace to a same-origin request', async () => {
    const xhr = await request(`${server.url}same`)
    expect(xhr).toBeInstanceOf(XMLHttpRequest)
    expect(xhr.status).toBe(200)
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('resolves a relative URL against the page, as XMLHttpRequest does', async () => {
    await request('relative/path?x=1')
    const seen = server.onlyRequest()
    expect(seen.url).toBe('/relative/path?x=1')
    expect(seen.headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('accepts a URL object in open()', async () => {
    await request(new URL('url-object', server.url))
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('leaves a cross-origin request alone when no targets are set', async () => {
    await request(`${crossOrigin}cross`)
    expect(server.onlyRequest().headers['sentry-trace']).toBeUndefined()
    // No trace header, so no CORS preflight either.
    expect(server.requests.filter((r) => r.method === 'OPTIONS')).toHaveLength(0)
  })

  it('traces a cross-origin request that matches a target (the server allows the preflight)', async () => {
    configure({ tracePropagationTargets: [/^http:\/\/localhost:\d+\/allowed/] })
    await request(`${crossOrigin}allowed`)
    await request(`${crossOrigin}other`)
    const [allowed, other] = server.received()
    expect(allowed!.headers['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(other!.headers['sentry-trace']).toBeUndefined()
    expect(server.requests.some((r) => r.method === 'OPTIONS')).toBe(true)
  })

  it('keeps the method and body, and the caller headers', async () => {
    await request(`${server.url}post`, [['X-Custom', 'kept'], ['Content-Type', 'text/plain']], 'POST')
    const seen = server.onlyRequest()
    expect(seen.method).toBe('POST')
    expect(seen.body).toBe('xhr body')
    expect(seen.headers['x-custom']).toBe('kept')
    expect(seen.headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('adds nothing when the caller set sentry-trace, in any letter case', async () => {
    const source = recordingSource(TRACE)
    await request(`${server.url}theirs`, [['SENTRY-Trace', 'theirs-1']])
    const seen = server.onlyRequest().headers
    expect(seen['sentry-trace']).toBe('theirs-1')
    expect(seen.baggage).toBeUndefined()
    expect(source.requests).toHaveLength(0)
  })

  it('appends our baggage to a caller baggage without sentry- entries', async () => {
    recordingSource(TRACE)
    await request(`${server.url}baggage`, [['Baggage', 'vendor=1'], ['baggage', 'vendor2=2']])
    expect(server.onlyRequest().headers.baggage).toBe(`vendor=1, vendor2=2, ${TRACE.baggage}`)
  })

  it('leaves a caller baggage with a sentry- entry alone', async () => {
    recordingSource(TRACE)
    await request(`${server.url}baggage`, [['BAGGAGE', 'vendor=1'], ['baggage', 'sentry-release=1']])
    expect(server.onlyRequest().headers.baggage).toBe('vendor=1, sentry-release=1')
  })

  it('keeps the merged baggage within 8192 characters', async () => {
    recordingSource(TRACE)
    const vendor = 'vendor=' + 'x'.repeat(8192 - 7 - 2 - 20)
    await request(`${server.url}cap`, [['baggage', vendor]])
    expect(server.onlyRequest().headers.baggage).toBe(`${vendor}, sentry-sampled=true`)
  })

  it('traceparent: ours only when configured and the caller set none', async () => {
    configure({ propagateTraceparent: true })
    recordingSource(TRACE)
    await request(`${server.url}tp`)
    await request(`${server.url}tp`, [['TraceParent', 'theirs']])
    configure({})
    await request(`${server.url}tp`)
    expect(server.received().map((r) => r.headers.traceparent)).toEqual([TRACE.traceparent, 'theirs', undefined])
  })

  it('re-open resets the URL, the method and the caller headers', async () => {
    configure({ tracePropagationTargets: [/\/second$/] })
    const xhr = new TracedXMLHttpRequest()
    xhr.open('POST', `${server.url}first`)
    xhr.setRequestHeader('sentry-trace', 'theirs-1')
    xhr.open('GET', `${server.url}second`)
    const finished = done(xhr)
    xhr.send()
    await finished
    const seen = server.onlyRequest()
    expect(seen.url).toBe('/second')
    expect(seen.method).toBe('GET')
    expect(seen.headers['sentry-trace']).toMatch(SENTRY_TRACE)

    server.requests.length = 0
    xhr.open('GET', `${server.url}second`)
    xhr.open('GET', `${server.url}third`)
    const again = done(xhr)
    xhr.send()
    await again
    expect(server.onlyRequest().headers['sentry-trace']).toBeUndefined()
  })

  it('a reused XHR sends the trace headers again for each request', async () => {
    const xhr = new TracedXMLHttpRequest()
    for (let i = 0; i < 2; i++) {
      xhr.open('GET', `${server.url}reuse`)
      const finished = done(xhr)
      xhr.send()
      await finished
    }
    const [first, second] = server.received().map((r) => String(r.headers['sentry-trace']))
    expect(first).toMatch(SENTRY_TRACE)
    // One propagation span per trace, as the Sentry SDK keeps.
    expect(second).toBe(first)
  })

  it('native errors still reach the caller: setRequestHeader and send before open', () => {
    const xhr = new TracedXMLHttpRequest()
    expect(() => xhr.setRequestHeader('x-custom', '1')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    expect(() => xhr.send()).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
  })

  it('a synchronous request (async flag false) is traced and stays synchronous', async () => {
    // jsdom blocks this thread during a synchronous request, so the server runs on another.
    const echo = await startEchoServerThread()
    try {
      configure({ tracePropagationTargets: [echo.url] })
      const xhr = new TracedXMLHttpRequest()
      xhr.open('GET', `${echo.url}sync`, false)
      xhr.setRequestHeader('X-Custom', 'sync')
      xhr.send()
      // Synchronous: the response is there as soon as send() returns.
      expect(xhr.readyState).toBe(4)
      const { headers } = JSON.parse(xhr.responseText) as { headers: Record<string, string> }
      expect(headers['x-custom']).toBe('sync')
      expect(headers['sentry-trace']).toMatch(SENTRY_TRACE)
    } finally {
      await echo.close()
    }
  })
})

describe('the XMLHttpRequest it extends', () => {
  it('is the global one at construction time, one subclass per constructor, passing open() arguments through', () => {
    const opened: unknown[][] = []
    class FakeXMLHttpRequest {
      open(...args: unknown[]) {
        opened.push(args)
      }
      setRequestHeader() {}
      send() {}
      addEventListener() {}
      removeEventListener() {}
    }
    vi.stubGlobal('XMLHttpRequest', FakeXMLHttpRequest)
    const first = new TracedXMLHttpRequest()
    const second = new TracedXMLHttpRequest()
    expect(first).toBeInstanceOf(FakeXMLHttpRequest)
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second))
    // The argument count decides sync vs async: open(m, u, undefined) is synchronous.
    first.open('GET', '/a')
    ;(first.open as (...args: unknown[]) => void)('GET', '/b', undefined)
    first.open('GET', '/c', false, 'user', 'pass')
    expect(opened).toEqual([['GET', '/a'], ['GET', '/b', undefined], ['GET', '/c', false, 'user', 'pass']])
    vi.unstubAllGlobals()
    const real = new TracedXMLHttpRequest()
    expect(real).toBeInstanceOf(XMLHttpRequest)
    expect(real).not.toBeInstanceOf(FakeXMLHttpRequest)
  })

  it('throws a ReferenceError when there is no XMLHttpRequest, like the global would', () => {
    vi.stubGlobal('XMLHttpRequest', undefined)
    expect(() => new TracedXMLHttpRequest()).toThrow(ReferenceError)
  })
})

describe('the trace source sees each XHR request start and end once', () => {
  it('url, method and transport, then the status', async () => {
    const source = recordingSource(TRACE)
    await request(`${server.url}status/404`, [], 'GET')
    expect(source.requests).toEqual([{ url: `${server.url}status/404`, method: 'GET', transport: 'xhr' }])
    expect(source.outcomes).toEqual([{ status: 404 }])
    expect(server.onlyRequest().headers['sentry-trace']).toBe(TRACE['sentry-trace'])
  })

  it('an error for a refused connection', async () => {
    const source = recordingSource(TRACE)
    configure({ tracePropagationTargets: ['127.0.0.1'] })
    const xhr = await request(await refusedUrl())
    expect(xhr.status).toBe(0)
    expect(source.outcomes).toHaveLength(1)
    expect(source.outcomes[0]!.status).toBeUndefined()
    expect((source.outcomes[0]!.error as Event).type).toBe('error')
  })

  it('an error for an abort', async () => {
    const source = recordingSource(TRACE)
    const xhr = new TracedXMLHttpRequest()
    xhr.open('GET', `${server.url}abort`)
    const finished = done(xhr)
    xhr.send()
    xhr.abort()
    await finished
    expect(source.outcomes).toHaveLength(1)
    expect((source.outcomes[0]!.error as Event).type).toBe('abort')
  })

  it('an error when re-opened in flight, and nothing more for that request later', async () => {
    const source = recordingSource(TRACE)
    const xhr = new TracedXMLHttpRequest()
    xhr.open('GET', `${server.url}first`)
    xhr.send()
    xhr.open('GET', `${server.url}second`)
    expect(source.outcomes).toHaveLength(1)
    expect(source.outcomes[0]!.error).toBeInstanceOf(Error)
    const finished = done(xhr)
    xhr.send()
    await finished
    expect(source.outcomes).toHaveLength(2)
    expect(source.outcomes[1]).toEqual({ status: 200 })
  })

  it('a send() the XHR refuses (not opened again) starts nothing, and the caller gets the native error', async () => {
    const source = recordingSource(TRACE)
    const xhr = await request(`${server.url}once`)
    expect(source.outcomes).toEqual([{ status: 200 }])
    expect(() => xhr.send()).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    expect(source.requests).toHaveLength(1)
    expect(source.outcomes).toEqual([{ status: 200 }])
  })

  it('a synchronous send() that fails throws, and ends what it started with that error', async () => {
    const source = recordingSource(TRACE)
    configure({ tracePropagationTargets: ['127.0.0.1'] })
    const xhr = new TracedXMLHttpRequest()
    xhr.open('GET', await refusedUrl(), false)
    let thrown: unknown
    try {
      xhr.send()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeDefined()
    expect(source.requests).toHaveLength(1)
    expect(source.outcomes).toEqual([{ error: thrown }])
  })

  it('a second send() while in flight starts nothing', async () => {
    const source = recordingSource(TRACE)
    const xhr = new TracedXMLHttpRequest()
    xhr.open('GET', `${server.url}twice`)
    const finished = done(xhr)
    xhr.send()
    expect(() => xhr.send()).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    await finished
    expect(source.requests).toHaveLength(1)
    expect(source.outcomes).toEqual([{ status: 200 }])
  })
})

describe('the constructor', () => {
  it('passes its arguments to the XMLHttpRequest it extends', () => {
    const seen: unknown[][] = []
    class FakeXHR extends XMLHttpRequest {
      constructor(...args: unknown[]) {
        super()
        seen.push(args)
      }
    }
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    const options = { mozAnon: true }
    const xhr = new TracedXMLHttpRequest(options, 'second')
    expect(xhr).toBeInstanceOf(FakeXHR)
    expect(seen).toEqual([[options, 'second']])
  })
})

describe('traceXhrIfGlobal', () => {
  it('the traced subclass of the global XMLHttpRequest (one), anything else as it is', async () => {
    const Traced = traceXhrIfGlobal(XMLHttpRequest)
    expect(Traced).not.toBe(XMLHttpRequest)
    expect(traceXhrIfGlobal(XMLHttpRequest)).toBe(Traced)
    expect(Object.getPrototypeOf(Traced)).toBe(XMLHttpRequest)
    expect(new TracedXMLHttpRequest()).toBeInstanceOf(Traced)
    class Other extends XMLHttpRequest {}
    for (const value of [Other, undefined, null, {}]) expect(traceXhrIfGlobal(value)).toBe(value)
    const root = { XMLHttpRequest }
    const xhr = new (traceXhrIfGlobal(root.XMLHttpRequest))()
    xhr.open('GET', `${server.url}via-root`)
    const finished = done(xhr)
    xhr.send()
    await finished
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)
    // An app's own subclass extends the traced one: its members stay, its requests are traced.
    class JsonRequest extends traceXhrIfGlobal(XMLHttpRequest) {
      kind = 'json'
    }
    server.requests.length = 0
    const json = new JsonRequest()
    expect(json.kind).toBe('json')
    expect(json).toBeInstanceOf(XMLHttpRequest)
    json.open('GET', `${server.url}subclass`)
    const sent = done(json)
    json.send()
    await sent
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)
    vi.stubGlobal('XMLHttpRequest', undefined)
    expect(traceXhrIfGlobal(undefined)).toBe(undefined)
  })
})

describe('a tracer that patched open() and send(), as the Sentry SDK does', () => {
  const THEIRS = { 'sentry-trace': 'f'.repeat(32) + '-' + 'e'.repeat(16) + '-1', baggage: 'sentry-trace_id=' + 'f'.repeat(32), traceparent: '00-' + 'f'.repeat(32) + '-' + 'e'.repeat(16) + '-01' }
  /** What each request's wrapper saw, by request. */
  let seen: WeakMap<XMLHttpRequest, Record<string, string>>

  /**
   * The global XMLHttpRequest with the SDK's shape of instrumentation: open() wraps
   * the instance's setRequestHeader to record what is set; send() sets `headers`
   * unless a sentry-trace was recorded (the SDK's setHeaderOnXhr).
   */
  function patch(headers: Record<string, string>): void {
    seen = new WeakMap()
    const Native = XMLHttpRequest
    class Patched extends Native {
      override open(...args: [string, string]) {
        const recorded: Record<string, string> = {}
        seen.set(this, recorded)
        const original = this.setRequestHeader
        this.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
          recorded[name.toLowerCase()] = value
          return original.call(this, name, value)
        }
        super.open(...args)
      }
      override send(body?: Document | XMLHttpRequestBodyInit | null) {
        if (!seen.get(this)?.['sentry-trace']) for (const [name, value] of Object.entries(headers)) this.setRequestHeader(name, value)
        super.send(body)
      }
    }
    vi.stubGlobal('XMLHttpRequest', Patched)
  }

  it('sees our trace set on the request, so adds no second sentry-trace, sentry- baggage or traceparent', async () => {
    configure({ propagateTraceparent: true })
    patch(THEIRS)
    const xhr = new TracedXMLHttpRequest()
    xhr.open('GET', `${server.url}patched`)
    const finished = done(xhr)
    xhr.send()
    await finished
    const { headers } = server.onlyRequest()
    expect(headers['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(headers['sentry-trace']).not.toContain('f'.repeat(32))
    expect(headers['baggage']).not.toContain('f'.repeat(32))
    expect(headers['traceparent']).not.toContain('f'.repeat(32))
    expect(seen.get(xhr)).toMatchObject({ 'sentry-trace': headers['sentry-trace'] })
  })

  it('adds its trace where ours is not added: the caller set sentry-trace, or the URL does not match', async () => {
    patch({ baggage: THEIRS.baggage })
    await request(`${server.url}own`, [['sentry-trace', TRACE['sentry-trace']]])
    // The caller's sentry-trace went through the wrapper too: the tracer adds nothing.
    expect(server.onlyRequest().headers).toMatchObject({ 'sentry-trace': TRACE['sentry-trace'] })
    expect(server.onlyRequest().headers.baggage).toBeUndefined()
    server.requests.length = 0
    configure({ tracePropagationTargets: ['/nothing-matches'] })
    await request(`${server.url}unmatched`)
    expect(server.onlyRequest().headers.baggage).toBe(THEIRS.baggage)
  })

  it('the caller\'s own setRequestHeader before send(), and after a re-open, are as they were', async () => {
    patch({})
    const xhr = new TracedXMLHttpRequest()
    xhr.open('GET', `${server.url}first`)
    xhr.setRequestHeader('baggage', 'app=1')
    let finished = done(xhr)
    xhr.send()
    await finished
    // After send(), setting a header throws again, for our names too.
    expect(() => xhr.setRequestHeader('baggage', 'app=2')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    xhr.open('GET', `${server.url}second`)
    xhr.setRequestHeader('sentry-trace', TRACE['sentry-trace'])
    finished = done(xhr)
    xhr.send()
    await finished
    const [first, second] = server.received()
    expect(first!.headers.baggage).toMatch(/^app=1, sentry-/)
    expect(second!.headers['sentry-trace']).toBe(TRACE['sentry-trace'])
  })
})
