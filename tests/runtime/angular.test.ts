// @vitest-environment jsdom
/**
 * The Angular interceptor (`unplugin-sentry-trace/angular`) against RxJS's real
 * `Observable` and a real server, with a stand-in for Angular's `HttpRequest`
 * (immutable, case-insensitive headers, `clone({ setHeaders })` replacing a
 * header) and for its two backends, which send what the request's headers hold.
 * Angular itself is tested for real in tests/frameworks/angular.test.ts.
 */
import { Observable, lastValueFrom, map } from 'rxjs'
import { beforeEach, describe, expect, it } from 'vitest'
import { provideSentryTrace, sentryTraceInterceptor } from '../../runtime/angular.js'
import { configure, setTraceSource, tracedFetch, TracedXMLHttpRequest, type TraceHeaders } from '../../runtime/index.js'
import { recordServerForFile, setPageUrl } from '../helpers/record-server.js'
import { recordingSource } from '../helpers/trace-source.js'

const server = recordServerForFile()

const TRACE: TraceHeaders = {
  'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1',
  baggage: 'sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sampled=true',
}

/** Angular's `HttpRequest` as far as an interceptor and a backend see it. */
class FakeHttpRequest {
  readonly headers: FakeHeaders
  constructor(
    readonly method: string,
    readonly url: string,
    headers: Record<string, string> = {},
    readonly params = '',
  ) {
    this.headers = new FakeHeaders(Object.entries(headers))
  }
  get urlWithParams(): string {
    return this.params ? `${this.url}?${this.params}` : this.url
  }
  clone(update: { setHeaders?: Record<string, string> }): FakeHttpRequest {
    const copy = new FakeHttpRequest(this.method, this.url, {}, this.params)
    const kept = this.headers.entries.filter(([name]) => !Object.keys(update.setHeaders ?? {}).some((set) => set.toLowerCase() === name.toLowerCase()))
    copy.headers.entries.push(...kept, ...Object.entries(update.setHeaders ?? {}))
    return copy
  }
}

class FakeHeaders {
  constructor(readonly entries: Array<[string, string]>) {}
  has(name: string): boolean {
    return this.getAll(name) !== null
  }
  getAll(name: string): string[] | null {
    const values = this.entries.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value)
    return values.length ? values : null
  }
  /** Name (as first set) and values, as Angular's backends read them. */
  forEach(f: (name: string, values: string[]) => void): void {
    const names = [...new Set(this.entries.map(([key]) => key.toLowerCase()))]
    for (const name of names) f(this.entries.find(([key]) => key.toLowerCase() === name)![0], this.getAll(name)!)
  }
}

/** What Angular's XHR backend does with a request: a `Response` event (type 4) with the status, then complete. */
function xhrBackend(Xhr: new () => XMLHttpRequest = XMLHttpRequest) {
  return (req: FakeHttpRequest) =>
    new Observable<{ type: number; status?: number }>((subscriber) => {
      const xhr = new Xhr()
      xhr.open(req.method, server.origin + req.urlWithParams)
      req.headers.forEach((name, values) => xhr.setRequestHeader(name, values.join(',')))
      xhr.addEventListener('loadend', () => {
        if (xhr.status === 0) subscriber.error({ status: 0, name: 'HttpErrorResponse' })
        else if (xhr.status >= 400) subscriber.error({ status: xhr.status, name: 'HttpErrorResponse' })
        else {
          subscriber.next({ type: 4, status: xhr.status })
          subscriber.complete()
        }
      })
      subscriber.next({ type: 0 })
      xhr.send()
      return () => xhr.abort()
    })
}

/** What Angular's fetch backend (`withFetch()`) does, with the fetch given. */
function fetchBackend(f: typeof fetch = fetch) {
  return (req: FakeHttpRequest) =>
    new Observable<{ type: number; status?: number }>((subscriber) => {
      const headers: Record<string, string> = {}
      req.headers.forEach((name, values) => (headers[name] = values.join(',')))
      f(server.origin + req.urlWithParams, { method: req.method, headers }).then(
        (response) => {
          subscriber.next({ type: 4, status: response.status })
          subscriber.complete()
        },
        (error: unknown) => subscriber.error(error),
      )
    })
}

const send = (req: FakeHttpRequest, backend = xhrBackend()) => lastValueFrom(sentryTraceInterceptor(req, backend).pipe(map((event) => event)))
const sentHeader = (name: string): string[] => {
  const raw = server.onlyRequest().rawHeaders
  const values: string[] = []
  for (let index = 0; index < raw.length; index += 2) if (raw[index]!.toLowerCase() === name) values.push(raw[index + 1]!)
  return values
}

beforeEach(() => {
  setPageUrl(server.url + 'page')
  server.requests.length = 0
  configure({})
  setTraceSource(undefined)
})

describe('sentryTraceInterceptor', () => {
  it('adds the page trace to a request that matches, and passes every other request on as it is', async () => {
    provideSentryTrace({ tracePropagationTargets: [/^\/api\//] })
    const seen: FakeHttpRequest[] = []
    const other = new FakeHttpRequest('GET', '/other')
    sentryTraceInterceptor(other, (req) => (seen.push(req), new Observable()))
    expect(seen[0]).toBe(other)

    await send(new FakeHttpRequest('post', '/api/items'))
    const [trace] = sentHeader('sentry-trace')
    expect(sentHeader('sentry-trace')).toHaveLength(1)
    expect(trace).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
    expect(sentHeader('baggage')).toEqual([`sentry-trace_id=${trace!.split('-')[0]}`])
    expect(sentHeader('traceparent')).toEqual([])

    // The same trace context as the rewritten transports: one span id per trace.
    server.requests.length = 0
    await tracedFetch(server.origin + '/api/direct')
    expect(sentHeader('sentry-trace')).toEqual([trace])
  })

  it('matches the URL with its query parameters, as the request is sent', async () => {
    provideSentryTrace({ tracePropagationTargets: ['page=2'] })
    await send(new FakeHttpRequest('GET', '/items', {}, 'page=2'))
    expect(sentHeader('sentry-trace')).toHaveLength(1)
    server.requests.length = 0
    await send(new FakeHttpRequest('GET', '/items', {}, 'page=3'))
    expect(sentHeader('sentry-trace')).toEqual([])
  })

  it("keeps the caller's sentry-trace (any letter case) and sends nothing of ours with it", async () => {
    const req = new FakeHttpRequest('GET', '/api/own', { 'Sentry-Trace': 'caller-value', baggage: 'a=1' })
    const seen: FakeHttpRequest[] = []
    sentryTraceInterceptor(req, (passed) => (seen.push(passed), new Observable()))
    expect(seen[0]).toBe(req)
    await send(req)
    expect(sentHeader('sentry-trace')).toEqual(['caller-value'])
    expect(sentHeader('baggage')).toEqual(['a=1'])
  })

  it("appends to the caller's baggage, and leaves one that has sentry- entries alone", async () => {
    recordingSource(TRACE)
    await send(new FakeHttpRequest('GET', '/api/a', { Baggage: 'a=1' }))
    expect(sentHeader('baggage')).toEqual([`a=1, ${TRACE.baggage}`])
    server.requests.length = 0
    await send(new FakeHttpRequest('GET', '/api/b', { baggage: 'sentry-release=1' }))
    expect(sentHeader('baggage')).toEqual(['sentry-release=1'])
    expect(sentHeader('sentry-trace')).toEqual([TRACE['sentry-trace']])
  })

  it('sends traceparent only when configured', async () => {
    provideSentryTrace({ propagateTraceparent: true })
    await send(new FakeHttpRequest('GET', '/api/a'))
    expect(sentHeader('traceparent')).toHaveLength(1)
  })

  it('never doubles the headers when the backend is a traced XMLHttpRequest or fetch too', async () => {
    for (const backend of [xhrBackend(TracedXMLHttpRequest), fetchBackend(tracedFetch)]) {
      server.requests.length = 0
      await send(new FakeHttpRequest('GET', '/api/both'), backend)
      expect(sentHeader('sentry-trace')).toHaveLength(1)
      expect(sentHeader('baggage')).toHaveLength(1)
      // And what the rewritten transport adds alone is the same trace.
      const [fromInterceptor] = sentHeader('sentry-trace')
      server.requests.length = 0
      await lastValueFrom(backend(new FakeHttpRequest('GET', '/api/alone')))
      expect(sentHeader('sentry-trace')).toEqual([fromInterceptor])
    }
  })
})

describe('with a trace source that wants to know when requests end (connectSentry)', () => {
  it('ends each request once, with the status of a response or of an error response', async () => {
    const recorded = recordingSource(TRACE)
    await send(new FakeHttpRequest('GET', '/api/ok'))
    await expect(send(new FakeHttpRequest('GET', '/status/404'), xhrBackend())).rejects.toMatchObject({ status: 404 })
    await send(new FakeHttpRequest('GET', '/api/fetch'), fetchBackend())
    expect(recorded.outcomes).toEqual([{ status: 200 }, { status: 404 }, { status: 200 }])
    expect(recorded.requests.map(({ url, method, transport }) => ({ url, method, transport }))).toEqual([
      { url: '/api/ok', method: 'GET', transport: 'http-client' },
      { url: '/status/404', method: 'GET', transport: 'http-client' },
      { url: '/api/fetch', method: 'GET', transport: 'http-client' },
    ])
  })

  it('ends a request that fails without a status, or is unsubscribed, with an error', async () => {
    const recorded = recordingSource(TRACE)
    const failure = { status: 0, name: 'HttpErrorResponse' }
    await expect(lastValueFrom(sentryTraceInterceptor(new FakeHttpRequest('GET', '/api/x'), () => new Observable((s) => s.error(failure))))).rejects.toBe(failure)
    let torndown = false
    const subscription = sentryTraceInterceptor(new FakeHttpRequest('GET', '/api/y'), () => new Observable(() => () => void (torndown = true))).subscribe()
    subscription.unsubscribe()
    expect(torndown).toBe(true)
    expect(recorded.outcomes.map((outcome) => Object.keys(outcome))).toEqual([['error'], ['error']])
    expect(recorded.outcomes[0]!.error).toBe(failure)
  })

  it('gives back an RxJS Observable, so later interceptors can pipe it', () => {
    recordingSource(TRACE)
    const result = sentryTraceInterceptor(new FakeHttpRequest('GET', '/api/x'), () => new Observable())
    expect(result).toBeInstanceOf(Observable)
  })

  it('ends the request at once when the next handler returns something that is no Observable', () => {
    const recorded = recordingSource(TRACE)
    const odd = { subscribe: () => ({ unsubscribe() {} }), pipe: () => odd }
    expect(sentryTraceInterceptor(new FakeHttpRequest('GET', '/api/x'), () => odd)).toBe(odd)
    expect(recorded.outcomes.map((outcome) => String(outcome.error))).toEqual(['TypeError: the next handler returned no Observable'])
  })

  it('ends the request when the next handler throws, and lets the error through', () => {
    const recorded = recordingSource(TRACE)
    const thrown = new Error('no backend')
    expect(() =>
      sentryTraceInterceptor(new FakeHttpRequest('GET', '/api/x'), () => {
        throw thrown
      }),
    ).toThrow(thrown)
    expect(recorded.outcomes).toEqual([{ error: thrown }])
  })
})

describe('provideSentryTrace', () => {
  it('configures the runtime and provides nothing to Angular', () => {
    expect(provideSentryTrace({ tracePropagationTargets: ['/only'] })).toEqual([])
    const seen: FakeHttpRequest[] = []
    const req = new FakeHttpRequest('GET', '/api/x')
    sentryTraceInterceptor(req, (passed) => (seen.push(passed), new Observable()))
    expect(seen[0]).toBe(req)
    expect(provideSentryTrace()).toEqual([])
    sentryTraceInterceptor(req, (passed) => (seen.push(passed), new Observable()))
    expect(seen[1]).not.toBe(req)
  })

  it('says which option is wrong', () => {
    const bad: Array<[unknown, string]> = [
      [[], 'options must be an object, got an array'],
      [{ tracePropagationTarget: [] }, 'unknown option `tracePropagationTarget` (known options: tracePropagationTargets, propagateTraceparent)'],
      [{ include: /x/ }, 'unknown option `include`'],
      [{ tracePropagationTargets: '/api' }, '`tracePropagationTargets` must be an array of strings or RegExps, got string "/api"'],
      [{ tracePropagationTargets: ['/api', 42] }, '`tracePropagationTargets[1]` must be a string or a RegExp, got number 42'],
      [{ propagateTraceparent: 'yes' }, '`propagateTraceparent` must be a boolean, got string "yes"'],
    ]
    for (const [options, message] of bad) {
      expect(() => provideSentryTrace(options as never), JSON.stringify(options)).toThrow(`[unplugin-sentry-trace] provideSentryTrace: ${message}`)
    }
  })
})
