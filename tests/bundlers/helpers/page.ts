/**
 * A page to run a bundle in: jsdom, served from the recording server, with the
 * server-rendered trace meta tags. jsdom has XMLHttpRequest but no fetch: the
 * window gets the platform's (undici's fetch, Request, Headers, Response,
 * AbortController), as a browser would have them. Every connection, to the page's
 * origin or to the fixture's other hosts (`api.example.test`, `thirdparty.test`),
 * is routed to the recording server, which records the Host each request was for.
 */

import { JSDOM } from 'jsdom'
import { connect } from 'node:net'
import { ReadableStream } from 'node:stream/web'
import { Agent, FormData, Headers, Request, Response, fetch as platformFetch } from 'undici'
import type { RecordServer, RecordedRequest } from '../../helpers/record-server.js'

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
export const PARENT_SPAN_ID = '00f067aa0ba902b7'
export const META_BAGGAGE = `sentry-trace_id=${TRACE_ID},sentry-environment=fixture,sentry-sample_rate=1,sentry-sampled=true`

export interface PageRun {
  /** Requests the app sent (CORS preflights left out), in arrival order. */
  requests: RecordedRequest[]
  /** Globals the page had before its scripts ran, next to what it had after. */
  globals: { before: unknown[]; after: unknown[] }
  title: string
}

const RUN_TIMEOUT_MS = 10_000

export async function runPage(server: RecordServer, scripts: string[]): Promise<PageRun> {
  const port = Number(new URL(server.origin).port)
  const network = new Agent({
    connect(_options, callback) {
      const socket = connect({ host: '127.0.0.1', port })
      socket.once('connect', () => callback(null, socket))
      socket.once('error', (error) => callback(error, null))
    },
  })
  const html =
    '<!doctype html><html><head>' +
    `<meta name="sentry-trace" content="${TRACE_ID}-${PARENT_SPAN_ID}-1">` +
    `<meta name="baggage" content="${META_BAGGAGE}">` +
    '<title>server-rendered</title></head><body><div id="app"></div></body></html>'
  const dom = new JSDOM(html, { url: server.url, runScripts: 'outside-only', resources: { dispatcher: network } })
  const window = dom.window as unknown as Window & typeof globalThis & { eval(code: string): unknown; __fixture?: Promise<unknown> }
  installPlatform(window, network)
  const snapshot = () => [window.fetch, window.XMLHttpRequest, ...['open', 'send', 'setRequestHeader'].map((name) => Reflect.get(window.XMLHttpRequest.prototype, name))]
  const before = snapshot()
  server.requests.length = 0
  try {
    for (const script of scripts) window.eval(script)
    if (!window.__fixture) throw new Error('the app did not start (window.__fixture is unset)')
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      window.__fixture,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the app did not settle in time')), RUN_TIMEOUT_MS))),
    ]).finally(() => clearTimeout(timer))
    return { requests: server.received(), globals: { before, after: snapshot() }, title: window.document.title }
  } finally {
    window.close()
    await network.close()
  }
}

/** What a browser has and jsdom lacks, bound to the routed network; relative URLs resolve against the page. */
function installPlatform(window: Window & typeof globalThis, network: Agent): void {
  const absolute = (input: string | URL) => new URL(String(input), window.location.href)
  class PageRequest extends Request {
    constructor(input: string | URL | Request, init?: ConstructorParameters<typeof Request>[1]) {
      super(input instanceof Request ? input : absolute(input), init)
    }
  }
  const fetch = (input: string | URL | Request, init?: Parameters<typeof platformFetch>[1]) =>
    platformFetch(input instanceof Request ? input : absolute(input), { ...init, dispatcher: network })
  Object.assign(window, {
    fetch,
    Request: PageRequest,
    Headers,
    Response,
    FormData,
    ReadableStream,
    AbortController,
    AbortSignal,
  })
}
