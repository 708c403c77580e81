/**
 * A third-party origin that is not a trace target: it records every request it
 * gets, CORS preflights included (a browser never shows those to page scripts),
 * and allows simple cross-origin requests only, as an analytics pixel would.
 */

import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ThirdParty {
  port: number
  requests: Array<{ method: string; url: string; headers: IncomingHttpHeaders }>
  close(): Promise<void>
}

export async function startThirdParty(): Promise<ThirdParty> {
  const requests: ThirdParty['requests'] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    res.setHeader('Access-Control-Allow-Origin', '*')
    // No Access-Control-Allow-Headers: a request with trace headers would fail here.
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, { 'Content-Type': 'text/plain' })
    res.end(req.method === 'OPTIONS' ? undefined : 'ok')
  })
  server.keepAliveTimeout = 1
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
