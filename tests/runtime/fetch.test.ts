import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  alwaysTracedFetch,
  configure,
  setTraceSource,
  traceFetchFunction,
  traceFetchIfGlobal,
  traceFetchOn,
  tracedFetch,
  untraceFetchFunction,
  type TraceHeaders,
} from '../../runtime/index.js'
import { recordServerForFile } from '../helpers/record-server.js'

const SENTRY_TRACE = /^[0-9a-f]{32}-[0-9a-f]{16}$/
const TRACE: TraceHeaders = {
  'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1',
  baggage: 'sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sampled=true',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
}

const server = recordServerForFile()

beforeEach(() => {
  server.requests.length = 0
  // No document here, so absolute URLs only match listed targets.
  configure({ tracePropagationTargets: [server.origin] })
  setTraceSource(undefined)
})

afterEach(() => {
  vi.unstubAllGlobals()
})

/** A trace source that always answers with fixed headers, so values can be asserted exactly. */
function useFixedHeaders(headers: Partial<TraceHeaders> = TRACE): void {
  setTraceSource({ startRequest: () => ({ headers: { ...TRACE, ...headers } as TraceHeaders }) })
}

describe('header shapes', () => {
  it('no headers: adds sentry-trace', async () => {
    const response = await tracedFetch(`${server.url}none`)
    expect(response.status).toBe(200)
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('Headers: keeps the caller headers and does not touch the caller object', async () => {
    const headers = new Headers({ 'X-Custom': 'kept' })
    await tracedFetch(`${server.url}headers`, { headers })
    const seen = server.onlyRequest().headers
    expect(seen['x-custom']).toBe('kept')
    expect(seen['sentry-trace']).toMatch(SENTRY_TRACE)
    expect([...headers]).toEqual([['x-custom', 'kept']])
  })

  it('array of pairs: keeps the caller pairs and does not touch the caller array', async () => {
    const headers: Array<[string, string]> = [['X-CUSTOM', 'kept']]
    await tracedFetch(`${server.url}pairs`, { headers })
    const seen = server.onlyRequest().headers
    expect(seen['x-custom']).toBe('kept')
    expect(seen['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(headers).toEqual([['X-CUSTOM', 'kept']])
  })

  it('plain object: keeps the caller keys and does not touch the caller object', async () => {
    const headers = { 'x-Custom': 'kept' }
    await tracedFetch(`${server.url}object`, { headers })
    const seen = server.onlyRequest().headers
    expect(seen['x-custom']).toBe('kept')
    expect(seen['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(headers).toEqual({ 'x-Custom': 'kept' })
  })

  it('a Map of headers (any iterable of pairs) is read like pairs', async () => {
    await tracedFetch(`${server.url}map`, { headers: new Map([['x-custom', 'kept']]) as unknown as HeadersInit })
    expect(server.onlyRequest().headers['x-custom']).toBe('kept')
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it.each([
    ['Headers', () => new Headers({ 'SENTRY-Trace': 'theirs-1' })],
    ['pairs', () => [['Sentry-TRACE', 'theirs-1']] as Array<[string, string]>],
    ['object', () => ({ 'sEntry-trace': 'theirs-1' })],
  ])('%s with the caller sentry-trace in odd case: nothing is added', async (_shape, make) => {
    useFixedHeaders()
    await tracedFetch(`${server.url}theirs`, { headers: make() })
    const seen = server.onlyRequest().headers
    expect(seen['sentry-trace']).toBe('theirs-1')
    expect(seen.baggage).toBeUndefined()
    expect(seen.traceparent).toBeUndefined()
  })

  it.each([
    ['Headers', () => new Headers({ BAGGAGE: 'vendor=1', TraceParent: 'theirs' })],
    ['pairs', () => [['Baggage', 'vendor=1'], ['TRACEPARENT', 'theirs']] as Array<[string, string]>],
    ['object', () => ({ bagGAGE: 'vendor=1', traceParent: 'theirs' })],
  ])('%s with caller baggage without sentry- entries: ours is appended, caller traceparent kept', async (_shape, make) => {
    useFixedHeaders()
    configure({ tracePropagationTargets: [server.origin], propagateTraceparent: true })
    await tracedFetch(`${server.url}append`, { headers: make() })
    const seen = server.onlyRequest().headers
    expect(seen.baggage).toBe(`vendor=1, ${TRACE.baggage}`)
    expect(seen.traceparent).toBe('theirs')
    expect(seen['sentry-trace']).toBe(TRACE['sentry-trace'])
  })

  it.each([
    ['Headers', () => new Headers({ Baggage: 'sentry-release=theirs,vendor=1' })],
    ['pairs', () => [['BAGGAGE', 'sentry-release=theirs,vendor=1']] as Array<[string, string]>],
    ['object', () => ({ baggagE: 'sentry-release=theirs,vendor=1' })],
  ])('%s with caller baggage that has a sentry- entry: left alone', async (_shape, make) => {
    useFixedHeaders()
    await tracedFetch(`${server.url}keep`, { headers: make() })
    const seen = server.onlyRequest().headers
    expect(seen.baggage).toBe('sentry-release=theirs,vendor=1')
    expect(seen['sentry-trace']).toBe(TRACE['sentry-trace'])
  })

  it('pairs with baggage split over several pairs are treated as one combined header', async () => {
    useFixedHeaders()
    const headers: Array<[string, string]> = [
      ['baggage', 'vendor=1'],
      ['Baggage', 'sentry-release=theirs'],
    ]
    await tracedFetch(`${server.url}split`, { headers })
    expect(server.onlyRequest().headers.baggage).toBe('vendor=1, sentry-release=theirs')

    server.requests.length = 0
    await tracedFetch(`${server.url}split`, { headers: [['baggage', 'a=1'], ['BAGGAGE', 'b=2']] })
    expect(server.onlyRequest().headers.baggage).toBe(`a=1, b=2, ${TRACE.baggage}`)
  })

  it('keeps the whole baggage within 8192 characters', async () => {
    useFixedHeaders()
    const vendor = 'vendor=' + 'x'.repeat(8192 - 7 - 2 - 20)
    await tracedFetch(`${server.url}cap`, { headers: { baggage: vendor } })
    const baggage = String(server.onlyRequest().headers.baggage)
    expect(baggage.length).toBeLessThanOrEqual(8192)
    // Only the 20-character-or-shorter entries of ours could fit; sentry-sampled=true is 19.
    expect(baggage).toBe(`${vendor}, sentry-sampled=true`)
  })
})

describe('init and input handling', () => {
  it('a frozen init (and frozen headers) is copied, never mutated', async () => {
    const headers = Object.freeze({ 'content-type': 'text/plain' })
    const init = Object.freeze({ method: 'POST', body: 'frozen body', headers })
    await tracedFetch(`${server.url}frozen`, init)
    const seen = server.onlyRequest()
    expect(seen.method).toBe('POST')
    expect(seen.body).toBe('frozen body')
    expect(seen.headers['content-type']).toBe('text/plain')
    expect(seen.headers['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(init).toEqual({ method: 'POST', body: 'frozen body', headers: { 'content-type': 'text/plain' } })
  })

  it('init members inherited through the prototype survive, as fetch itself reads them', async () => {
    const init = Object.create({ method: 'PUT', body: 'inherited' }) as RequestInit
    await tracedFetch(`${server.url}inherited`, init)
    const seen = server.onlyRequest()
    expect(seen.method).toBe('PUT')
    expect(seen.body).toBe('inherited')
    expect(seen.headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('a Request input keeps its method, body and headers, and is not mutated', async () => {
    const request = new Request(`${server.url}request`, {
      method: 'POST',
      body: 'request body',
      headers: { 'X-Custom': 'from-request', 'Content-Type': 'text/plain' },
    })
    await tracedFetch(request)
    const seen = server.onlyRequest()
    expect(seen.method).toBe('POST')
    expect(seen.body).toBe('request body')
    expect(seen.headers['x-custom']).toBe('from-request')
    expect(seen.headers['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(request.headers.has('sentry-trace')).toBe(false)
    expect([...request.headers]).toEqual([
      ['content-type', 'text/plain'],
      ['x-custom', 'from-request'],
    ])
  })

  it('a Request keeps its referrer policy, which a non-empty init would otherwise reset', async () => {
    const calls: Array<[RequestInfo | URL, RequestInit | undefined]> = []
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push([input, init])
      return Promise.resolve(new Response('ok'))
    })
    const request = new Request(`${server.url}referrer`, { referrerPolicy: 'no-referrer' })
    await tracedFetch(request)
    const [input, init] = calls[0]!
    expect(input).toBe(request)
    // What fetch builds from the two arguments.
    const sent = new Request(input, init)
    expect(sent.referrerPolicy).toBe('no-referrer')
    expect(sent.headers.get('sentry-trace')).toMatch(SENTRY_TRACE)
  })

  it('a Request input with init headers: the init headers win, as in fetch', async () => {
    const request = new Request(`${server.url}request-init`, { headers: { 'x-custom': 'request' } })
    await tracedFetch(request, { headers: { 'x-custom': 'init' } })
    expect(server.onlyRequest().headers['x-custom']).toBe('init')
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('a Request that already carries sentry-trace goes out untouched', async () => {
    const request = new Request(`${server.url}request-theirs`, { headers: { 'Sentry-Trace': 'theirs-2' } })
    await tracedFetch(request)
    expect(server.onlyRequest().headers['sentry-trace']).toBe('theirs-2')
  })

  it('a URL object input is matched by its href', async () => {
    configure({ tracePropagationTargets: [/\/url-object\?q=1$/] })
    await tracedFetch(new URL('url-object?q=1', server.url))
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })
})

describe('which requests get headers', () => {
  it('a non-matching URL goes out untouched, with the very arguments the caller passed', async () => {
    configure({ tracePropagationTargets: ['https://api.example.com'] })
    const calls: Array<{ self: unknown; args: unknown[] }> = []
    const realFetch = globalThis.fetch
    vi.stubGlobal('fetch', function (this: unknown, ...args: Parameters<typeof fetch>) {
      calls.push({ self: this, args })
      return realFetch(...args)
    })
    const init = { headers: { 'x-custom': 'a' } }
    await tracedFetch(`${server.url}plain`)
    await tracedFetch(`${server.url}plain`, init)
    expect(calls.map((call) => call.args.length)).toEqual([1, 2])
    expect(calls[1]!.args[1]).toBe(init)
    expect(calls.every((call) => call.self === undefined)).toBe(true)
    expect(calls[0]!.args[0]).toBe(`${server.url}plain`)
    expect(server.received().map((request) => request.headers['sentry-trace'])).toEqual([undefined, undefined])
  })

  it('string targets match anywhere in the URL, the query included', async () => {
    configure({ tracePropagationTargets: ['needle=1'] })
    await tracedFetch(`${server.url}s?needle=1`)
    await tracedFetch(`${server.url}s?needle=2`)
    expect(server.received().map((request) => typeof request.headers['sentry-trace'])).toEqual(['string', 'undefined'])
  })

  it('RegExp targets, including a global one, match every time', async () => {
    configure({ tracePropagationTargets: [/\/re\/\d+$/g] })
    for (let i = 0; i < 3; i++) await tracedFetch(`${server.url}re/${i}`)
    await tracedFetch(`${server.url}re/x`)
    expect(server.received().map((request) => typeof request.headers['sentry-trace'])).toEqual([
      'string',
      'string',
      'string',
      'undefined',
    ])
  })

  it('no targets and no document: only path-absolute URLs would match, so absolute ones do not', async () => {
    configure({})
    await tracedFetch(server.url)
    expect(server.onlyRequest().headers['sentry-trace']).toBeUndefined()
  })

  it('alwaysTracedFetch skips the check the build already made', async () => {
    configure({ tracePropagationTargets: [] })
    await tracedFetch(`${server.url}never`)
    await alwaysTracedFetch(`${server.url}always`)
    const [never, always] = server.received()
    expect(never!.headers['sentry-trace']).toBeUndefined()
    expect(always!.headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('traceparent is sent only when configured, with the ids of sentry-trace', async () => {
    configure({ tracePropagationTargets: [server.origin], propagateTraceparent: true })
    await tracedFetch(`${server.url}tp-on`)
    configure({ tracePropagationTargets: [server.origin] })
    await tracedFetch(`${server.url}tp-off`)
    const [on, off] = server.received()
    const [traceId, spanId] = String(on!.headers['sentry-trace']).split('-')
    expect(on!.headers.traceparent).toBe(`00-${traceId}-${spanId}-00`)
    expect(off!.headers.traceparent).toBeUndefined()
    expect(String(off!.headers['sentry-trace']).split('-')[0]).toBe(traceId)
  })
})

describe('the fetch that is called', () => {
  it('is read from globalThis at call time and its promise is returned as is', async () => {
    const promise = Promise.resolve(new Response('mocked'))
    const calls: unknown[][] = []
    vi.stubGlobal('fetch', function (this: unknown, ...args: unknown[]) {
      expect(this).toBeUndefined()
      calls.push(args)
      return promise
    })
    expect(tracedFetch(`${server.url}mock`)).toBe(promise)
    expect(await (await tracedFetch(`${server.url}mock`)).text()).toBe('mocked')
    const [, init] = calls[0] as [string, RequestInit]
    expect(new Headers(init.headers).get('sentry-trace')).toMatch(SENTRY_TRACE)
    expect(server.requests).toHaveLength(0)
  })

  it('gets the headers in the shape the caller used', async () => {
    const seen: unknown[] = []
    vi.stubGlobal('fetch', (_input: unknown, init?: RequestInit) => {
      seen.push(init?.headers)
      return Promise.resolve(new Response(''))
    })
    const pairs: Array<[string, string]> = [['x-a', '1']]
    await tracedFetch(`${server.url}s`, { headers: pairs })
    await tracedFetch(`${server.url}s`, { headers: { 'x-a': '1' } })
    await tracedFetch(`${server.url}s`, { headers: new Headers({ 'x-a': '1' }) })
    await tracedFetch(`${server.url}s`)
    const [asPairs, asObject, asHeaders, none] = seen as [Array<[string, string]>, Record<string, string>, Headers, Record<string, string>]
    expect(Array.isArray(asPairs)).toBe(true)
    expect(asPairs[0]).toEqual(['x-a', '1'])
    expect(asPairs.find(([name]) => name === 'sentry-trace')?.[1]).toMatch(SENTRY_TRACE)
    expect(pairs).toEqual([['x-a', '1']])
    expect(Object.getPrototypeOf(asObject)).toBe(Object.prototype)
    expect(asObject['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(asHeaders).toBeInstanceOf(Headers)
    expect(asHeaders.get('sentry-trace')).toMatch(SENTRY_TRACE)
    expect(Object.keys(none)).toEqual(['sentry-trace', 'baggage'])
  })

  it('keeps init members fetch reads that do not enumerate (class getters), and extra members', async () => {
    const seen: Array<Record<string, unknown>> = []
    vi.stubGlobal('fetch', (_input: unknown, init?: Record<string, unknown>) => {
      seen.push(init!)
      return Promise.resolve(new Response(''))
    })
    class Options {
      next = { revalidate: 60 }
      get method() {
        return 'POST'
      }
      get body() {
        return 'payload'
      }
    }
    await tracedFetch(`${server.url}s`, new Options() as unknown as RequestInit)
    expect(seen[0]).toMatchObject({ method: 'POST', body: 'payload', next: { revalidate: 60 } })
    expect((seen[0]!.headers as Record<string, string>)['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('a fetch that throws synchronously still throws to the caller', () => {
    vi.stubGlobal('fetch', () => {
      throw new TypeError('boom')
    })
    expect(() => tracedFetch(`${server.url}throws`)).toThrow('boom')
  })
})

/** A global fetch that records what it was called with and answers at once. */
function recordingFetch() {
  const calls: Array<{ self: unknown; args: unknown[] }> = []
  const fetch = function fetch(this: unknown, input: unknown, init?: unknown) {
    calls.push({ self: this, args: [...arguments] })
    return Promise.resolve(new Response(''))
  }
  return { calls, fetch }
}

const sentTrace = (init: unknown) => new Headers((init as RequestInit | undefined)?.headers).get('sentry-trace')

describe('arguments fetch refuses go to it as they were', () => {
  it.each([
    ['headers: null', { headers: null }],
    ['headers: a string', { headers: 'x-a: 1' }],
    ['headers: a number', { headers: 5 }],
    ['init: a number', 5],
    ['init: a string', 'init'],
  ])('%s: the same rejection as fetch, and nothing added', async (_name, init) => {
    const native = await fetch(`${server.url}refused`, init as RequestInit).catch((error: unknown) => error)
    const ours = await tracedFetch(`${server.url}refused`, init as RequestInit).catch((error: unknown) => error)
    expect(native).toBeInstanceOf(TypeError)
    expect(ours).toBeInstanceOf(TypeError)
    expect((ours as Error).message).toBe((native as Error).message)
    expect(server.requests).toHaveLength(0)
  })

  it('no arguments: fetch gets none (it refuses), not an added init', async () => {
    const { calls, fetch } = recordingFetch()
    vi.stubGlobal('fetch', fetch)
    await (tracedFetch as () => Promise<Response>)()
    expect(calls).toEqual([{ self: undefined, args: [] }])
  })

  it('an input whose conversion to a string throws: a rejection, as from fetch, not a throw', async () => {
    const input = {
      toString() {
        throw new TypeError('no string')
      },
    }
    const result = tracedFetch(input as unknown as string)
    expect(result).toBeInstanceOf(Promise)
    await expect(result).rejects.toThrow('no string')
  })

  it('an object input is matched by its string conversion, as fetch converts it', async () => {
    configure({ tracePropagationTargets: [/\/converted$/] })
    const { calls, fetch } = recordingFetch()
    vi.stubGlobal('fetch', fetch)
    const input = { href: `${server.url}href`, toString: () => `${server.url}converted` }
    await tracedFetch(input as unknown as string)
    expect(calls[0]!.args[0]).toBe(input)
    expect(sentTrace(calls[0]!.args[1])).toMatch(SENTRY_TRACE)
  })

  it('extra arguments still reach the fetch called', async () => {
    const { calls, fetch } = recordingFetch()
    vi.stubGlobal('fetch', fetch)
    await (tracedFetch as (...args: unknown[]) => Promise<Response>)(`${server.url}extra`, {}, 'third')
    expect(calls[0]!.args).toHaveLength(3)
    expect(calls[0]!.args[2]).toBe('third')
    expect(sentTrace(calls[0]!.args[1])).toMatch(SENTRY_TRACE)
  })

  it('no global fetch at all: a ReferenceError, as the original call would throw', () => {
    vi.stubGlobal('fetch', undefined)
    expect(() => tracedFetch(`${server.url}absent`)).toThrow(ReferenceError)
  })
})

describe('this', () => {
  it('tracedFetch passes the caller this on, traced or not', async () => {
    const { calls, fetch } = recordingFetch()
    vi.stubGlobal('fetch', fetch)
    const self = {}
    await tracedFetch.call(self, `${server.url}this`)
    configure({ tracePropagationTargets: [] })
    await tracedFetch.call(self, `${server.url}this`)
    await alwaysTracedFetch.call(self, `${server.url}this`)
    expect(calls.map((call) => call.self)).toEqual([self, self, self])
    expect(calls.map((call) => sentTrace(call.args[1]))).toEqual([expect.stringMatching(SENTRY_TRACE), null, expect.stringMatching(SENTRY_TRACE)])
  })
})

describe('traceFetchFunction', () => {
  it('one traced function per function, never traced twice, and absent stays absent', () => {
    const { fetch } = recordingFetch()
    const traced = traceFetchFunction(fetch)
    expect(traced).not.toBe(fetch)
    expect(traceFetchFunction(fetch)).toBe(traced)
    expect(traceFetchFunction(traced)).toBe(traced)
    for (const value of [undefined, null, 0, '', 'fetch', {}]) expect(traceFetchFunction(value)).toBe(value)
  })

  it('calls the function it was given, not the global, with the caller this and arguments, adding headers', async () => {
    const saved = recordingFetch()
    const later = recordingFetch()
    vi.stubGlobal('fetch', later.fetch)
    const self = {}
    const init = { method: 'POST', body: 'b' }
    await (traceFetchFunction(saved.fetch) as (...args: unknown[]) => Promise<Response>).call(self, `${server.url}saved`, init, 'extra')
    expect(later.calls).toHaveLength(0)
    expect(saved.calls).toHaveLength(1)
    const [call] = saved.calls
    expect(call!.self).toBe(self)
    expect(call!.args[0]).toBe(`${server.url}saved`)
    expect(call!.args[2]).toBe('extra')
    expect(call!.args[1]).toMatchObject({ method: 'POST', body: 'b' })
    expect(sentTrace(call!.args[1])).toMatch(SENTRY_TRACE)
    expect(init).toEqual({ method: 'POST', body: 'b' })
  })

  it('checks the URL at run time', async () => {
    configure({ tracePropagationTargets: ['/yes'] })
    const saved = recordingFetch()
    const traced = traceFetchFunction(saved.fetch)
    await traced(`${server.url}yes`)
    await traced(`${server.url}no`)
    expect(saved.calls.map((call) => call.args.length)).toEqual([2, 1])
  })

  it('a wrapper installed on the global around the saved fetch (SvelteKit) runs once, with headers once', async () => {
    useFixedHeaders()
    const native = recordingFetch()
    vi.stubGlobal('fetch', native.fetch)
    // const original = window.fetch; window.fetch = (...a) => original(...a), as rewritten:
    const original = traceFetchFunction(globalThis.fetch)
    let wrapperCalls = 0
    const wrapper = (...args: Parameters<typeof fetch>) => {
      wrapperCalls++
      return original(...args)
    }
    vi.stubGlobal('fetch', untraceFetchFunction(wrapper))
    await tracedFetch(`${server.url}wrapped`)
    await original(`${server.url}direct`)
    expect(wrapperCalls).toBe(1)
    expect(native.calls).toHaveLength(2)
    for (const call of native.calls) expect(new Headers((call.args[1] as RequestInit).headers).get('sentry-trace')).toBe(TRACE['sentry-trace'])
    // Written back, the global holds the function itself, never ours.
    vi.stubGlobal('fetch', untraceFetchFunction(original))
    expect(globalThis.fetch).toBe(native.fetch)
  })

  it('looks like the function: name, length, its properties, toString, not constructible', () => {
    const traced = traceFetchFunction(fetch)
    expect(traced.name).toBe('fetch')
    expect(traced.length).toBe(fetch.length)
    expect(traced.toString()).toBe(fetch.toString())
    expect(String(traced)).toBe(String(fetch))
    // Its own properties are the function's, whatever they are (Node's fetch is plain JS).
    expect(Object.hasOwn(traced, 'prototype')).toBe(Object.hasOwn(fetch, 'prototype'))
    // A browser's fetch is not constructible and has no `prototype`: neither is its traced function.
    const method = { fetch: (_input: unknown) => Promise.resolve(new Response('')) }.fetch
    const tracedMethod = traceFetchFunction(method)
    expect(Object.hasOwn(tracedMethod, 'prototype')).toBe(false)
    expect(() => new (tracedMethod as unknown as new () => unknown)()).toThrow(TypeError)
    const polyfill = Object.assign(function polyfilled(_input: unknown) {
      return Promise.resolve(new Response(''))
    }, { polyfill: true })
    const tracedPolyfill = traceFetchFunction(polyfill)
    expect(tracedPolyfill.polyfill).toBe(true)
    expect(tracedPolyfill.name).toBe('polyfilled')
    expect(tracedPolyfill.length).toBe(1)
  })
})

describe('untraceFetchFunction', () => {
  it('gives the function a traced one calls, and anything else as it is', () => {
    const { fetch } = recordingFetch()
    expect(untraceFetchFunction(traceFetchFunction(fetch))).toBe(fetch)
    for (const value of [fetch, tracedFetch, undefined, null, 1, 'x', {}]) expect(untraceFetchFunction(value)).toBe(value)
  })
})

describe('traceFetchIfGlobal', () => {
  it('traces the global fetch only', () => {
    const { fetch } = recordingFetch()
    vi.stubGlobal('fetch', fetch)
    expect(traceFetchIfGlobal(fetch)).toBe(traceFetchFunction(fetch))
    const other = recordingFetch().fetch
    for (const value of [other, undefined, null, {}]) expect(traceFetchIfGlobal(value)).toBe(value)
    vi.stubGlobal('fetch', undefined)
    expect(traceFetchIfGlobal(undefined)).toBe(undefined)
  })
})

describe('traceFetchOn', () => {
  it('gives any object but the global object back as it is', () => {
    const root = { fetch: () => 'own' }
    expect(traceFetchOn(root)).toBe(root)
    for (const value of [undefined, null, 1, {}]) expect(traceFetchOn(value)).toBe(value)
  })

  it('on the global object: its fetch at call time, with the global as this, with headers', async () => {
    const first = recordingFetch()
    const on = traceFetchOn(globalThis)
    expect(on).not.toBe(globalThis)
    vi.stubGlobal('fetch', first.fetch)
    await on.fetch(`${server.url}on`, { method: 'PUT' })
    const [call] = first.calls
    expect(call!.self).toBe(globalThis)
    expect(call!.args[1]).toMatchObject({ method: 'PUT' })
    expect(sentTrace(call!.args[1])).toMatch(SENTRY_TRACE)
    configure({ tracePropagationTargets: [] })
    await on.fetch(`${server.url}on`)
    expect(first.calls[1]!.args).toEqual([`${server.url}on`])
  })
})
