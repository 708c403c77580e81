// @vitest-environment jsdom
/**
 * The page rule with a real page URL: jsdom's document is served from the record
 * server's origin, and `localhost` on the same port serves as "another origin".
 */
import axios from 'axios'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { configure, setTraceSource, traceAxios, tracedFetch } from '../../runtime/index.js'
import { startRecordServer, type RecordServer, setPageUrl } from '../helpers/record-server.js'

let server: RecordServer
let otherOrigin: string

beforeAll(async () => {
  server = await startRecordServer()
  otherOrigin = server.url.replace('127.0.0.1', 'localhost')
  setPageUrl(`${server.url}app/page`)
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  server.requests.length = 0
  configure({})
  setTraceSource(undefined)
  // Node's fetch has no page to resolve relative URLs against; a browser's has.
  const nodeFetch = globalThis.fetch
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    nodeFetch(typeof input === 'string' ? new URL(input, document.location.href) : input, init),
  )
})

afterEach(() => {
  vi.unstubAllGlobals()
})

/** For each URL fetched in turn, whether the server saw a sentry-trace. */
async function traced(urls: string[]): Promise<boolean[]> {
  for (const url of urls) await tracedFetch(url)
  return server.received().map((request) => typeof request.headers['sentry-trace'] === 'string')
}

describe('no tracePropagationTargets: same origin only', () => {
  it('relative, path-absolute, protocol-relative and absolute URLs of the page origin are traced', async () => {
    const host = new URL(server.url).host
    expect(await traced(['api/rel', '/api/abs', `//${host}/proto`, `${server.url}full`])).toEqual([
      true,
      true,
      true,
      true,
    ])
    expect(server.received().map((request) => request.url)).toEqual(['/app/api/rel', '/api/abs', '/proto', '/full'])
  })

  it('another origin (same server, other host name) is not', async () => {
    expect(await traced([`${otherOrigin}api`, `${otherOrigin}?url=${server.url}`])).toEqual([false, false])
  })
})

describe('tracePropagationTargets with a page', () => {
  it('a target matches the whole resolved URL, or the pathname of a same-origin one', async () => {
    configure({ tracePropagationTargets: [/^\/api\//] })
    expect(await traced(['/api/a', 'api/b', `${otherOrigin}api/c`])).toEqual([true, false, false])
  })

  it('string and RegExp targets on absolute URLs of other origins', async () => {
    configure({ tracePropagationTargets: ['localhost', /\/only-here$/] })
    expect(await traced([`${otherOrigin}x`, '/only-here', '/not-here'])).toEqual([true, true, false])
  })

  it('an empty list never attaches, not even same-origin', async () => {
    configure({ tracePropagationTargets: [] })
    expect(await traced(['/api', server.url])).toEqual([false, false])
  })
})

describe('axios in the page (its XMLHttpRequest adapter)', () => {
  it('a relative url on an instance without baseURL is same-origin', async () => {
    const instance = traceAxios(axios.create())
    await instance.get('/api/axios')
    await instance.get(`${otherOrigin}api/axios`)
    const [same, other] = server.received()
    expect(same!.headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
    expect(other!.headers['sentry-trace']).toBeUndefined()
  })
})
