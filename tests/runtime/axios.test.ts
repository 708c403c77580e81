/**
 * traceAxios with the real axios package against a real server, through axios's
 * Node http adapter and its fetch adapter.
 */
import axios, { AxiosError, AxiosHeaders, type AxiosInstance } from 'axios'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { configure, setTraceSource, traceAxios, type TraceHeaders } from '../../runtime/index.js'
import { refusedUrl, recordServerForFile } from '../helpers/record-server.js'
import { recordingSource } from '../helpers/trace-source.js'

const SENTRY_TRACE = /^[0-9a-f]{32}-[0-9a-f]{16}$/
const TRACE: TraceHeaders = {
  'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1',
  baggage: 'sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sampled=true',
}

const server = recordServerForFile()

beforeEach(() => {
  server.requests.length = 0
  // No document here, so absolute URLs only match listed targets.
  configure({ tracePropagationTargets: [server.origin] })
  setTraceSource(undefined)
})

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
  function create(config: Parameters<typeof axios.create>[0] = {}): AxiosInstance {
    return traceAxios(axios.create({ adapter, ...config }))
  }

  it('adds sentry-trace to a matching request and keeps the caller headers', async () => {
    const response = await create().get(`${server.url}plain`, { headers: { 'X-Custom': 'kept' } })
    expect(response.status).toBe(200)
    const seen = server.onlyRequest().headers
    expect(seen['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(seen['x-custom']).toBe('kept')
  })

  it('leaves a non-matching request alone', async () => {
    configure({ tracePropagationTargets: ['https://api.example.com'] })
    await create().get(`${server.url}plain`)
    expect(server.onlyRequest().headers['sentry-trace']).toBeUndefined()
  })

  it('matches on baseURL and a relative url joined as axios joins them', async () => {
    configure({ tracePropagationTargets: [/^http:\/\/127\.0\.0\.1:\d+\/api\/items$/] })
    const instance = create({ baseURL: `${server.url}api//` })
    await instance.get('/items')
    await instance.get('other')
    const [items, other] = server.received()
    expect(items!.url).toBe('/api/items')
    expect(items!.headers['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(other!.headers['sentry-trace']).toBeUndefined()
  })

  it('an absolute url wins over baseURL, unless allowAbsoluteUrls is false', async () => {
    configure({ tracePropagationTargets: [`${server.url}absolute`, /\/base\/http:/] })
    await create({ baseURL: 'http://unused.invalid/' }).get(`${server.url}absolute`)
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(SENTRY_TRACE)

    server.requests.length = 0
    await create({ baseURL: `${server.url}base`, allowAbsoluteUrls: false }).get('http://elsewhere.invalid/x')
    const seen = server.onlyRequest()
    expect(seen.url).toBe('/base/http://elsewhere.invalid/x')
    expect(seen.headers['sentry-trace']).toMatch(SENTRY_TRACE)
  })

  it('matches on the query axios builds from params', async () => {
    configure({ tracePropagationTargets: ['page=2'] })
    const instance = create({ baseURL: server.url })
    await instance.get('list', { params: { page: 2 } })
    await instance.get('list', { params: { page: 3 } })
    const [two, three] = server.received()
    expect(two!.url).toBe('/list?page=2')
    expect(two!.headers['sentry-trace']).toMatch(SENTRY_TRACE)
    expect(three!.headers['sentry-trace']).toBeUndefined()
  })

  it('works with AxiosHeaders: appends to a caller baggage, keeps the other caller headers', async () => {
    recordingSource(TRACE)
    const headers = new AxiosHeaders({ 'X-Custom': 'kept', BAGGAGE: 'vendor=1' })
    await create().post(`${server.url}post`, 'data', { headers })
    const seen = server.onlyRequest()
    expect(seen.method).toBe('POST')
    expect(seen.body).toBe('data')
    expect(seen.headers['x-custom']).toBe('kept')
    expect(seen.headers.baggage).toBe(`vendor=1, ${TRACE.baggage}`)
    expect(seen.headers['sentry-trace']).toBe(TRACE['sentry-trace'])
  })

  it('adds nothing when the caller set sentry-trace in any letter case', async () => {
    const source = recordingSource(TRACE)
    await create().get(`${server.url}theirs`, { headers: { 'SENTRY-trace': 'theirs-1' } })
    expect(server.onlyRequest().headers['sentry-trace']).toBe('theirs-1')
    expect(server.onlyRequest().headers.baggage).toBeUndefined()
    expect(source.requests).toHaveLength(0)
  })

  it('leaves a caller baggage with a sentry- entry alone', async () => {
    recordingSource(TRACE)
    await create().get(`${server.url}theirs`, { headers: { Baggage: 'sentry-release=1' } })
    expect(server.onlyRequest().headers.baggage).toBe('sentry-release=1')
  })

  it('runs after the app interceptors, so it sees their changes', async () => {
    const instance = create({ baseURL: server.url })
    configure({ tracePropagationTargets: [/\/rewritten$/] })
    recordingSource(TRACE)
    instance.interceptors.request.use((config) => {
      config.url = 'rewritten'
      config.headers.set('Baggage', 'vendor=1')
      return config
    })
    await instance.get('original')
    const seen = server.onlyRequest()
    expect(seen.url).toBe('/rewritten')
    expect(seen.headers['sentry-trace']).toBe(TRACE['sentry-trace'])
    expect(seen.headers.baggage).toBe(`vendor=1, ${TRACE.baggage}`)
  })

  it.each([
    ['registered before ours, default order (last registered runs first)', 'before', true, true],
    ['registered after ours, default order', 'after', true, true],
    ['registered before ours, legacyInterceptorReqResOrdering: false', 'before', false, true],
    ['registered after ours, legacyInterceptorReqResOrdering: false', 'after', false, true],
    ['asynchronous, registered before ours', 'before', true, false],
    ['asynchronous, registered after ours, legacyInterceptorReqResOrdering: false', 'after', false, false],
  ] as const)('an app interceptor %s runs before ours', async (_name, when, legacy, synchronous) => {
    configure({ tracePropagationTargets: [/\/rewritten$/] })
    recordingSource(TRACE)
    const instance = axios.create({ adapter, baseURL: server.url, transitional: { legacyInterceptorReqResOrdering: legacy } })
    const app = () =>
      instance.interceptors.request.use(
        (config) => {
          config.url = 'rewritten'
          config.headers.set('Baggage', 'vendor=1')
          return config
        },
        null,
        { synchronous },
      )
    if (when === 'before') app()
    traceAxios(instance)
    if (when === 'after') app()
    const defaults = instance.defaults.transformRequest
    const defaultsCopy = [...(defaults as unknown[])]
    await instance.get('original')
    const seen = server.onlyRequest()
    expect(seen.url).toBe('/rewritten')
    expect(seen.headers['sentry-trace']).toBe(TRACE['sentry-trace'])
    expect(seen.headers.baggage).toBe(`vendor=1, ${TRACE.baggage}`)
    // The instance's own transforms are left as they were.
    expect(instance.defaults.transformRequest).toBe(defaults)
    expect(instance.defaults.transformRequest).toEqual(defaultsCopy)
  })

  it('an app interceptor registered before ours that sets sentry-trace: nothing is added', async () => {
    const source = recordingSource(TRACE)
    const instance = axios.create({ adapter })
    instance.interceptors.request.use((config) => {
      config.headers.set('sentry-trace', 'theirs-1')
      return config
    })
    traceAxios(instance)
    await instance.get(`${server.url}theirs`)
    expect(server.onlyRequest().headers['sentry-trace']).toBe('theirs-1')
    expect(server.onlyRequest().headers.baggage).toBeUndefined()
    expect(source.requests).toHaveLength(0)
  })

  it('the app transformRequest runs, and ours sees the headers it set', async () => {
    recordingSource(TRACE)
    const instance = create({
      transformRequest: [
        (data: unknown, headers: AxiosHeaders) => {
          headers.set('baggage', 'from-transform=1')
          return JSON.stringify({ wrapped: data })
        },
      ],
    })
    await instance.post(`${server.url}transform`, { a: 1 }, { headers: { 'Content-Type': 'application/json' } })
    const seen = server.onlyRequest()
    expect(seen.body).toBe('{"wrapped":{"a":1}}')
    expect(seen.headers.baggage).toBe(`from-transform=1, ${TRACE.baggage}`)
    expect(seen.headers['sentry-trace']).toBe(TRACE['sentry-trace'])
  })

  it('a frozen config from an app interceptor: the request goes out, untraced', async () => {
    const instance = axios.create({ adapter })
    traceAxios(instance)
    instance.interceptors.request.use((config) => Object.freeze(config))
    const response = await instance.get(`${server.url}frozen`)
    expect(response.status).toBe(200)
    expect(server.onlyRequest().headers['sentry-trace']).toBeUndefined()
  })

  it('tells the trace source about the request and ends it once with the status', async () => {
    const source = recordingSource(TRACE)
    await create().post(`${server.url}created?x=1`, { a: 1 })
    expect(source.requests).toEqual([{ url: `${server.url}created?x=1`, method: 'POST', transport: 'axios' }])
    expect(source.outcomes).toEqual([{ status: 200 }])
  })

  it('ends with the status of a response axios rejects', async () => {
    const source = recordingSource(TRACE)
    await expect(create().get(`${server.url}status/404`)).rejects.toBeInstanceOf(AxiosError)
    expect(source.outcomes).toEqual([{ status: 404 }])
  })

  it('ends with the error of a refused connection, and the caller still gets it', async () => {
    const source = recordingSource(TRACE)
    configure({ tracePropagationTargets: ['127.0.0.1'] })
    const error = await create()
      .get(await refusedUrl())
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AxiosError)
    expect(source.outcomes).toEqual([{ error }])
  })
})

describe('traceAxios', () => {
  it('works on the default instance, registering once however often it is called', async () => {
    const source = recordingSource(TRACE)
    const before = axios.interceptors.request.handlers?.length ?? 0
    expect(traceAxios(axios)).toBe(axios)
    traceAxios(axios)
    traceAxios(axios)
    expect(axios.interceptors.request.handlers?.length).toBe(before + 1)
    // Synchronous, so axios does not defer dispatch to a microtask for our sake.
    expect(axios.interceptors.request.handlers?.at(-1)?.synchronous).toBe(true)
    await axios.get(`${server.url}default`)
    await axios({ url: `${server.url}config`, method: 'put' })
    expect(source.requests.map((request) => request.method)).toEqual(['GET', 'PUT'])
    expect(server.received().map((request) => request.headers['sentry-trace'])).toEqual([
      TRACE['sentry-trace'],
      TRACE['sentry-trace'],
    ])
  })

  it('gives back anything that is not an axios instance untouched', () => {
    const notAxios = [undefined, null, 0, 'axios', {}, { interceptors: {} }, fetch]
    for (const value of notAxios) expect(traceAxios(value)).toBe(value)
  })
})
