/**
 * A loopback proxy in front of a framework's server (its production server or its
 * dev server): every request it forwards is recorded as the server got it, and a
 * page request (`Sec-Fetch-Dest: document`) gets a `sentry-trace` and `baggage` of a
 * new trace, as a traced load balancer or edge would send them; the app renders
 * them into the page's meta tags. Every request gets `X-Forwarded-Proto: http`, as
 * from a proxy in front of a production server. WebSocket upgrades (a dev server's HMR) are
 * passed through.
 */
import { randomBytes } from 'node:crypto'
import { createServer, request as forward, type IncomingMessage } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

export interface ProxiedRequest {
  method: string
  url: string
  /** Names lowercased and values, in the order sent; a repeated header appears once per time it was sent. */
  headers: Array<[string, string]>
}

export interface PageTrace {
  url: string
  traceId: string
  parentSpanId: string
  baggage: string
}

export interface Proxy {
  origin: string
  /** Every request forwarded, in arrival order. */
  requests: ProxiedRequest[]
  /** The trace each page request was given. */
  pages: PageTrace[]
  /** Forget what was recorded. */
  clear(): void
  close(): Promise<void>
}

/** Where the framework's server listens: a port on 127.0.0.1, or a Unix socket. */
export type Upstream = { port: number } | { socketPath: string }

export const PAGE_ENVIRONMENT = 'framework-test'

export interface ProxyOptions {
  /**
   * How long an idle connection is kept (ms). Short by default; a server whose own
   * requests go through the proxy (keep-alive clients such as Node's fetch) needs
   * more, or a connection closed as it is reused fails the request.
   */
  keepAliveTimeoutMs?: number
}

export async function startProxy(upstream: Upstream, options: ProxyOptions = {}): Promise<Proxy> {
  const requests: ProxiedRequest[] = []
  const pages: PageTrace[] = []
  const sockets = new Set<Socket>()
  const target = 'port' in upstream ? { host: '127.0.0.1', port: upstream.port } : { socketPath: upstream.socketPath }

  const server = createServer((incoming, outgoing) => {
    const headers = pairs(incoming)
    requests.push({ method: incoming.method ?? '', url: incoming.url ?? '', headers })
    const sent = [...incoming.rawHeaders, 'x-forwarded-proto', 'http']
    if (incoming.headers['sec-fetch-dest'] === 'document') {
      const page: PageTrace = {
        url: incoming.url ?? '',
        traceId: randomBytes(16).toString('hex'),
        parentSpanId: randomBytes(8).toString('hex'),
        baggage: '',
      }
      page.baggage = `sentry-trace_id=${page.traceId},sentry-environment=${PAGE_ENVIRONMENT},sentry-sample_rate=1,sentry-sampled=true,sentry-sample_rand=0.25`
      pages.push(page)
      sent.push('sentry-trace', `${page.traceId}-${page.parentSpanId}-1`, 'baggage', page.baggage)
    }
    const proxied = forward({ ...target, method: incoming.method, path: incoming.url, headers: sent }, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.rawHeaders)
      response.pipe(outgoing)
    })
    proxied.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'Content-Type': 'text/plain' })
      outgoing.end(`proxy: ${error.message}`)
    })
    incoming.pipe(proxied)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('upgrade', (incoming: IncomingMessage, socket: Socket, head: Buffer) => {
    const upstreamSocket = connect(target as never)
    sockets.add(upstreamSocket)
    upstreamSocket.on('close', () => sockets.delete(upstreamSocket))
    const fail = () => {
      socket.destroy()
      upstreamSocket.destroy()
    }
    upstreamSocket.on('error', fail)
    socket.on('error', fail)
    upstreamSocket.on('connect', () => {
      const lines = [`${incoming.method} ${incoming.url} HTTP/1.1`]
      for (let index = 0; index < incoming.rawHeaders.length; index += 2) lines.push(`${incoming.rawHeaders[index]}: ${incoming.rawHeaders[index + 1]}`)
      upstreamSocket.write(lines.join('\r\n') + '\r\n\r\n')
      upstreamSocket.write(head)
      socket.pipe(upstreamSocket).pipe(socket)
    })
  })
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 1
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    pages,
    clear() {
      requests.length = 0
      pages.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function pairs(incoming: IncomingMessage): Array<[string, string]> {
  const result: Array<[string, string]> = []
  for (let index = 0; index < incoming.rawHeaders.length; index += 2) result.push([incoming.rawHeaders[index]!.toLowerCase(), incoming.rawHeaders[index + 1]!])
  return result
}
