/**
 * The example's backend, run as its own process after `instrument.ts`:
 *
 * - the page server: the built app's HTML with the `<meta name="sentry-trace">` and
 *   `<meta name="baggage">` tags of the request's span (`getTraceMetaTags()`), its
 *   assets, and its own `/api`;
 * - a second-origin API, answering the CORS preflight that trace headers cause.
 *
 * Both are traced by @sentry/node. Environment: `EXAMPLE_DIST` (the built app),
 * `SENTRY_DSN`, and optionally `EXAMPLE_APP_PORT` / `EXAMPLE_API_PORT` (default: any
 * free port). The origins, and every request received, go to the parent process
 * over IPC when there is one, else to stdout.
 */

import { readFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import * as Sentry from '@sentry/node'
import express, { type Express } from 'express'
import type { BackendMessage, ParentMessage, ReceivedRequest, TamperedMeta } from './protocol.js'

const dist = process.env.EXAMPLE_DIST
if (!dist) throw new Error('EXAMPLE_DIST must name the built example app')

function report(message: BackendMessage): void {
  if (process.send) process.send(message)
  else console.log(JSON.stringify(message))
}

function recordRequests(app: Express, server: ReceivedRequest['server']): void {
  app.use((req, _res, next) => {
    report({ type: 'request', server, method: req.method, url: req.originalUrl, headers: req.headers })
    next()
  })
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * The meta tags for this request: the SDK's, or a `sentry-trace` broken on purpose
 * (next to the genuine baggage) to show that the page ignores it.
 */
function metaTags(tampered: string | undefined): string {
  if (!tampered) return Sentry.getTraceMetaTags()
  const { 'sentry-trace': trace = '', baggage = '' } = Sentry.getTraceData()
  const broken: Record<TamperedMeta, string> = {
    uppercase: trace.toUpperCase(),
    length: trace.slice(1),
    crlf: `${trace}\r\nx-injected: 1`,
    huge: trace.split('-')[0]!.repeat(320),
  }
  const content = broken[tampered as TamperedMeta] ?? trace
  return `<meta name="sentry-trace" content="${escapeAttribute(content)}"/><meta name="baggage" content="${escapeAttribute(baggage)}"/>`
}

const page = express()
recordRequests(page, 'app')
const servePage: express.RequestHandler = async (req, res) => {
  const file = join(dist, req.path.endsWith('/') ? `${req.path}index.html` : req.path)
  const html = await readFile(file, 'utf8')
  const head =
    metaTags(typeof req.query.meta === 'string' ? req.query.meta : undefined) +
    `<meta name="example-sentry-dsn" content="${escapeAttribute(process.env.SENTRY_DSN ?? '')}"/>`
  res.type('html').send(html.replace('</head>', `${head}\n</head>`))
}
// Vite's pages at the root, esbuild's under /esbuild/.
for (const path of ['/', '/sentry.html', '/esbuild/', '/esbuild/sentry.html']) page.get(path, servePage)
page.use(express.static(dist, { index: false }))
page.get('/api/items', (_req, res) => {
  res.json([{ id: 1, name: 'item' }])
})

const api = express()
recordRequests(api, 'api')
api.use((req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
  res.setHeader('Vary', 'Origin')
  if (req.method !== 'OPTIONS') return next()
  // What a traced API must answer, or the browser fails the request (README, CORS).
  res.setHeader('Access-Control-Allow-Headers', 'sentry-trace, baggage')
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST')
  res.status(204).end()
})
api.get('/api/orders', (_req, res) => {
  res.json([{ id: 7, total: 42 }])
})

function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(server)))
    // Keep-alive sockets would hold close() open.
    server.keepAliveTimeout = 1
  })
}

const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const servers = await Promise.all([listen(page, Number(process.env.EXAMPLE_APP_PORT ?? 0)), listen(api, Number(process.env.EXAMPLE_API_PORT ?? 0))])

async function shutdown(): Promise<void> {
  for (const server of servers) {
    server.close()
    server.closeAllConnections()
  }
  await Sentry.flush(2000)
  process.exit(0)
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'flush') void Sentry.flush(5000).then(() => report({ type: 'flushed' }))
})
// The parent went away (or asked us to stop): do not outlive it.
process.on('disconnect', () => void shutdown())
process.on('SIGTERM', () => void shutdown())

report({ type: 'ready', app: origin(servers[0]), api: origin(servers[1]) })
