/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) that records every request it
 * gets, CORS preflights included, so tests assert what actually went over the wire.
 *
 * Every response is JSON echoing what the server saw (`{ method, url, headers }`),
 * which lets a client that cannot reach `requests` (a synchronous XHR, a page in a
 * browser) check its own request. `GET /status/404` answers with that status.
 */

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import { afterAll, beforeAll, expect } from 'vitest'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  /** Path and query as sent, e.g. `/api/items?page=2`. */
  url: string
  /** Lowercase names; repeated headers joined by `, ` (Node's rule for unknown names). */
  headers: IncomingHttpHeaders
  /** Names in the case and order the client sent them, alternating with values. */
  rawHeaders: string[]
  body: string
}

export interface RecordServer {
  /** Origin with a trailing slash, e.g. `http://127.0.0.1:40123/`. */
  url: string
  /** `http://127.0.0.1:40123`. */
  origin: string
  /** Every request so far, in arrival order; clear it with `requests.length = 0`. */
  requests: RecordedRequest[]
  /** Requests that were not CORS preflights. */
  received(): RecordedRequest[]
  /** The one request (not a preflight) since `requests` was cleared; fails the test if there were more or none. */
  onlyRequest(): RecordedRequest
  close(): Promise<void>
}

export interface RecordServerOptions {
  /** Extra handling after the request is recorded; return true when it answered. */
  respond?(request: RecordedRequest, response: ServerResponse): boolean
}

const ALLOWED_HEADERS = 'sentry-trace, baggage, traceparent, content-type, x-custom'

export async function startRecordServer(options: RecordServerOptions = {}): Promise<RecordServer> {
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(recorded)
      res.setHeader('Access-Control-Allow-Origin', '*')
      if (recorded.method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Headers': ALLOWED_HEADERS,
          'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
        })
        res.end()
        return
      }
      if (options.respond?.(recorded, res)) return
      const status = /^\/status\/(\d{3})\b/.exec(recorded.url)
      res.writeHead(status ? Number(status[1]) : 200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ method: recorded.method, url: recorded.url, headers: recorded.headers }))
    })
  })
  // Keep-alive sockets would hold close() open until they time out.
  server.keepAliveTimeout = 1
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const received = () => requests.filter((request) => request.method !== 'OPTIONS')
  return {
    url: `${origin}/`,
    origin,
    requests,
    received,
    onlyRequest() {
      const all = received()
      expect(all).toHaveLength(1)
      return all[0]!
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

/** A URL on 127.0.0.1 where nothing listens, for refused-connection cases. */
export async function refusedUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/`
}

/**
 * The same echo-and-CORS behaviour on a worker thread, for clients that block the
 * main thread while they wait (jsdom's synchronous XMLHttpRequest): a server on the
 * blocked thread could never answer. Only the echoed response body tells what came in.
 */
export async function startEchoServerThread(): Promise<{ url: string; close(): Promise<void> }> {
  const { Worker } = await import('node:worker_threads')
  const worker = new Worker(
    `
    const { createServer } = require('node:http')
    const { parentPort } = require('node:worker_threads')
    const server = createServer((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*')
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'Access-Control-Allow-Headers': ${JSON.stringify(ALLOWED_HEADERS)} })
        return res.end()
      }
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }))
    })
    server.keepAliveTimeout = 1
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port))
    `,
    { eval: true },
  )
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await worker.terminate()
    },
  }
}

/**
 * A record server for the whole test file: started before the first test, closed
 * after the last. The returned object stands for the server once it is up.
 */
export function recordServerForFile(options: RecordServerOptions = {}): RecordServer {
  let server: RecordServer | undefined
  beforeAll(async () => {
    server = await startRecordServer(options)
  })
  afterAll(async () => {
    await server?.close()
  })
  return new Proxy({} as RecordServer, {
    get(_target, key) {
      if (!server) throw new Error('the record server is only up inside tests')
      return Reflect.get(server, key)
    },
  })
}

/** In a jsdom test environment: the page is at `url` (set once the server's port is known). */
export function setPageUrl(url: string): void {
  ;(globalThis as unknown as { jsdom: { reconfigure(options: { url: string }): void } }).jsdom.reconfigure({ url })
}
