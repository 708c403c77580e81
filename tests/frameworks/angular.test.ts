/**
 * Angular 22, for real: the app in `tests/frameworks/angular/app` (standalone
 * component, zoneless, `HttpClient` with the README's two providers), installed
 * from its own lock and run under Node 24, which Angular 22 needs. Built by
 * `ng build` with the default application builder (esbuild; no bundler plugin
 * runs there) and served from its output, and served by `ng serve`, each behind a
 * loopback proxy that starts a trace for every page request (the test's page
 * server renders it into the meta tags) and records what reaches the server;
 * Chromium drives the page.
 *
 * The page picks its setup from the query string: the default backend (fetch),
 * `withFetch()` or `withXhr()`, with or without `sentryTraceInterceptor`. With
 * it, the `HttpClient` requests to `/api/` continue the page's trace with exactly
 * one `sentry-trace` and one baggage, a request the app set its own `sentry-trace`
 * on keeps it alone, and `/other/` gets nothing; without it, the same requests go
 * out with no trace header.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import { installApp, type InstalledApp } from './helpers/app.js'
import { PAGE_ENVIRONMENT, startProxy, type PageTrace, type ProxiedRequest, type Proxy } from './helpers/proxy.js'
import { pathOf, headerValues, only, onlyPage, expectNoTrace, freePort } from './helpers/visit.js'

const NG = 'node_modules/@angular/cli/bin/ng.js'
/** How long the page may take to show what its requests returned. */
const PAGE_TIMEOUT_MS = 20_000
/** How long `ng serve` may take to answer its first request. */
const START_TIMEOUT_MS = 120_000
/** What the app sets itself on `/api/own` (src/main.ts). */
const OWN_SENTRY_TRACE = '0123456789abcdef0123456789abcdef-0123456789abcdef-1'
/** The app's requests in the order it makes them, and the statuses it shows. */
const APP_REQUESTS = ['/api/get', '/api/post', '/other/get', '/api/own', '/api/fetch', '/api/error', '/api/after-navigation']
const SHOWN = '200,200,200,200,200,500,200'
/** The one request the app makes with its own `fetch`, not HttpClient. */
const OWN_FETCH = '/api/fetch'

let app: InstalledApp
let browser: Browser | undefined
const logs = { esbuild: '', extended: '', webpack: '' }

beforeAll(async () => {
  app = installApp('angular', 24)
  // The default builder, the same with the esbuild plugin added by a builder extension, and the legacy webpack builder.
  const env = { NG_CLI_ANALYTICS: 'false' }
  logs.esbuild = await app.run(NG, ['build', 'app'], { timeoutMs: 300_000, env })
  logs.extended = await app.run(NG, ['build', 'extended'], { timeoutMs: 300_000, env })
  logs.webpack = await app.run(NG, ['build', 'legacy'], { timeoutMs: 400_000, env })
  browser = await launchBrowser({})
}, 900_000)

afterAll(async () => {
  await browser?.close()
})

/**
 * The app's server: `/api/` and `/other/` answer JSON (`/api/error` a 500), and
 * the page (from `upstream`: the build's files, or `ng serve`) gets the trace the
 * proxy sent with its request rendered into the meta tags, as a traced backend does.
 */
async function startAppServer(upstream: { dir: string } | { port: number }): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const path = new URL(incoming.url ?? '/', 'http://x').pathname
    if (/^\/(api|other)\//.test(path)) {
      incoming.resume()
      outgoing.writeHead(path === '/api/error' ? 500 : 200, { 'Content-Type': 'application/json' })
      outgoing.end(JSON.stringify({ path }))
      return
    }
    if ('dir' in upstream) {
      const file = join(upstream.dir, normalize(path).replace(/^(\.\.[/\\])+/, ''))
      const isFile = path !== '/' && existsSync(file) && extname(file) !== ''
      if (isFile) {
        outgoing.writeHead(200, { 'Content-Type': extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream' })
        outgoing.end(readFileSync(file))
      } else {
        outgoing.writeHead(200, { 'Content-Type': 'text/html' })
        outgoing.end(withMetaTags(readFileSync(join(upstream.dir, 'index.html'), 'utf8'), incoming))
      }
      return
    }
    const forwarded = request({ host: '127.0.0.1', port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (response) => {
      if (!String(response.headers['content-type']).startsWith('text/html')) {
        outgoing.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(outgoing)
        return
      }
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const { 'content-length': _, ...headers } = response.headers
        outgoing.writeHead(response.statusCode ?? 502, headers)
        outgoing.end(withMetaTags(Buffer.concat(chunks).toString('utf8'), incoming))
      })
    })
    forwarded.on('error', (error) => fail(outgoing, error))
    incoming.pipe(forwarded)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}

function fail(outgoing: ServerResponse, error: Error): void {
  if (!outgoing.headersSent) outgoing.writeHead(502, { 'Content-Type': 'text/plain' })
  outgoing.end(`app server: ${error.message}`)
}

function withMetaTags(html: string, incoming: IncomingMessage): string {
  const attribute = (value: unknown) => String(value ?? '').replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)
  const tags = `<meta name="sentry-trace" content="${attribute(incoming.headers['sentry-trace'])}"><meta name="baggage" content="${attribute(incoming.headers.baggage)}">`
  return html.replace(/<head>/i, (head) => head + tags)
}

interface Visit {
  errors: string[]
  shown: string
  /** How Chromium says the page sent its HttpClient requests: `fetch` or `xhr`. */
  resourceTypes: string[]
  requests: ProxiedRequest[]
  pages: PageTrace[]
}

async function visit(proxy: Proxy, query: string): Promise<Visit> {
  proxy.clear()
  const context = await browser!.newContext()
  const errors: string[] = []
  try {
    const page = await context.newPage()
    const resourceTypes = new Set<string>()
    page.on('request', (sent) => {
      const path = new URL(sent.url()).pathname
      if (/^\/(api|other)\//.test(path) && path !== OWN_FETCH) resourceTypes.add(sent.resourceType())
    })
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`))
    // The 500 the app asks for is logged by Chromium as a failed resource; anything else is an error.
    page.on('console', (message) => message.type() === 'error' && !/status of 500/.test(message.text()) && errors.push(`console: ${message.text()}`))
    await page.goto(`${proxy.origin}/${query}`, { timeout: PAGE_TIMEOUT_MS })
    await page
      .waitForFunction(() => !['', 'pending'].includes(document.getElementById('done')?.textContent ?? ''), undefined, { timeout: PAGE_TIMEOUT_MS })
      .catch((error: Error) => {
        throw new Error(`the page did not finish: ${error.message}\nerrors: ${errors.join('\n') || 'none'}`)
      })
    const shown = (await page.textContent('#done')) ?? ''
    return { errors, shown, resourceTypes: [...resourceTypes], requests: proxy.requests.slice(), pages: proxy.pages.slice() }
  } finally {
    await context.close()
  }
}


/** Exactly one `sentry-trace` and one `baggage`, continuing the page's trace; returns the span id sent. */
function expectPageTrace(request: ProxiedRequest, page: PageTrace): string {
  const traces = headerValues(request, 'sentry-trace')
  expect(traces, `sentry-trace of ${request.url}`).toHaveLength(1)
  const [traceId, spanId, sampled] = traces[0]!.split('-')
  expect({ traceId, sampled }, request.url).toEqual({ traceId: page.traceId, sampled: '1' })
  expect(spanId, request.url).toMatch(/^[0-9a-f]{16}$/)
  expect(spanId, 'the server span is not sent on').not.toBe(page.parentSpanId)
  const baggage = headerValues(request, 'baggage')
  expect(baggage, `baggage of ${request.url}`).toHaveLength(1)
  expect(baggage[0]!.split(','), request.url).toEqual(expect.arrayContaining([`sentry-trace_id=${page.traceId}`, `sentry-environment=${PAGE_ENVIRONMENT}`, 'sentry-sampled=true']))
  expect(headerValues(request, 'traceparent'), request.url).toEqual([])
  return spanId!
}


/** Angular 22's default backend is fetch; `withXhr()` picks XMLHttpRequest. */
const SETUPS = [
  { name: 'default backend', query: '', sentWith: 'fetch' },
  { name: 'withFetch()', query: '?backend=fetch', sentWith: 'fetch' },
  { name: 'withXhr()', query: '?backend=xhr', sentWith: 'xhr' },
]

/** What a builder traces beyond the interceptor. */
interface Coverage {
  /** The bundler plugin rewrote Angular's backends in node_modules: HttpClient is traced without the interceptor too. */
  backends: boolean
  /** The bundler plugin rewrote the app's own `fetch`. */
  appFetch: boolean
}

function suite(name: string, start: () => Promise<{ proxy: Proxy; stop(): Promise<void> }>, warmUp: boolean, coverage: Coverage): void {
  describe(name, () => {
    let served: { proxy: Proxy; stop(): Promise<void> } | undefined
    const traced: Record<string, Visit> = {}
    const plain: Record<string, Visit> = {}

    beforeAll(async () => {
      served = await start()
      if (warmUp) await visit(served.proxy, '')
      for (const setup of SETUPS) {
        traced[setup.name] = await visit(served.proxy, setup.query)
        plain[setup.name] = await visit(served.proxy, (setup.query ? setup.query + '&' : '?') + 'interceptor=0')
      }
    }, 240_000)

    afterAll(async () => {
      await served?.stop()
    })

    for (const setup of SETUPS) {
      describe(setup.name, () => {
        it('runs without an error and every request gets its answer, with the interceptor and without', () => {
          for (const run of [traced[setup.name]!, plain[setup.name]!]) {
            expect(run.errors).toEqual([])
            expect(run.shown).toBe(SHOWN)
            expect(run.resourceTypes).toEqual([setup.sentWith])
            expect(run.requests.map(pathOf).filter((path) => APP_REQUESTS.includes(path))).toEqual(APP_REQUESTS)
          }
        })

        it("HttpClient GET and POST to /api/ continue the page's trace, one sentry-trace and one baggage each, on one span id", () => {
          const run = traced[setup.name]!
          const page = onlyPage(run)
          const spans = ['/api/get', '/api/post', '/api/error'].map((path) => expectPageTrace(only(run, path), page))
          expect(new Set(spans).size).toBe(1)
          expect(only(run, '/api/get').url).toBe('/api/get?page=1')
          expect(only(run, '/api/post').method).toBe('POST')
        })

        it('a URL no target matches gets nothing; a sentry-trace the app set goes out alone, as it set it', () => {
          for (const run of [traced[setup.name]!, plain[setup.name]!]) {
            expectNoTrace(only(run, '/other/get'))
            const own = only(run, '/api/own')
            expect(headerValues(own, 'sentry-trace')).toEqual([OWN_SENTRY_TRACE])
            expect(headerValues(own, 'baggage')).toEqual([])
          }
        })

        it('after a client-side navigation the page has a new trace, as the Sentry SDK starts one', () => {
          const run = traced[setup.name]!
          const page = onlyPage(run)
          const [value] = headerValues(only(run, '/api/after-navigation'), 'sentry-trace')
          expect(value).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
          const traceId = value!.split('-')[0]
          expect(traceId).not.toBe(page.traceId)
          expect(headerValues(only(run, '/api/after-navigation'), 'baggage')).toEqual([`sentry-trace_id=${traceId}`])
        })

        it(coverage.appFetch ? "the app's own fetch is rewritten: it continues the page's trace" : "the app's own fetch is not rewritten: it carries nothing", () => {
          for (const run of [traced[setup.name]!, plain[setup.name]!]) {
            if (coverage.appFetch) expectPageTrace(only(run, OWN_FETCH), onlyPage(run))
            else expectNoTrace(only(run, OWN_FETCH))
          }
        })

        if (coverage.backends) {
          it("without the interceptor HttpClient is traced all the same, through Angular's rewritten backend: one sentry-trace", () => {
            const run = plain[setup.name]!
            const page = onlyPage(run)
            for (const path of ['/api/get', '/api/post', '/api/error']) expectPageTrace(only(run, path), page)
          })
        } else {
          it('without the interceptor no HttpClient request carries a trace header (nothing rewrote the backend)', () => {
            const run = plain[setup.name]!
            for (const request of run.requests) if (pathOf(request) !== '/api/own') expectNoTrace(request)
          })
        }
      })
    }
  })
}

/** The build in `dir` served by the app server, behind the proxy. */
async function serveBuild(dir: string): Promise<{ proxy: Proxy; stop(): Promise<void> }> {
  const appServer = await startAppServer({ dir: join(app.dir, dir) })
  const proxy = await startProxy({ port: appServer.port })
  return {
    proxy,
    async stop() {
      await proxy.close()
      await appServer.close()
    },
  }
}

const ESBUILD: Coverage = { backends: false, appFetch: false }

suite('ng build (the default application builder, esbuild), served from its output', () => serveBuild('dist/browser'), false, ESBUILD)

suite(
  'ng serve',
  async () => {
    const port = await freePort()
    const child = app.start(NG, ['serve', 'app', '--host', '127.0.0.1', '--port', String(port), '--live-reload=false', '--hmr=false'], { NG_CLI_ANALYTICS: 'false' })
    const stopChild = await untilAnswers(child, port)
    const appServer = await startAppServer({ port })
    const proxy = await startProxy({ port: appServer.port })
    return {
      proxy,
      async stop() {
        await proxy.close()
        await appServer.close()
        await stopChild()
      },
    }
  },
  true,
  ESBUILD,
)

suite(
  'ng build legacy (the webpack builder through @angular-builders/custom-webpack, with the webpack plugin), served from its output',
  () => serveBuild('dist-webpack'),
  false,
  { backends: true, appFetch: true },
)

describe('the builds', () => {
  const scriptsOf = (dir: string) => {
    const tags = readFileSync(join(app.dir, dir, 'index.html'), 'utf8').match(/src="([^"]+\.js)"/g) ?? []
    return tags.map((tag) => readFileSync(join(app.dir, dir, tag.slice(5, -1)), 'utf8')).join('\n')
  }

  it('ng build uses the esbuild-based application builder; its output carries the interceptor', () => {
    const config = JSON.parse(readFileSync(join(app.dir, 'angular.json'), 'utf8'))
    expect(config.projects.app.architect.build.builder).toBe('@angular/build:application')
    expect(logs.esbuild).toContain('Application bundle generation complete')
    expect(scriptsOf('dist/browser')).toContain('sentry-trace')
    // No plugin ran: the app's own fetch is as written.
    expect(scriptsOf('dist/browser')).toMatch(/\bfetch\("\/api\/fetch"\)/)
  })

  it('with the esbuild plugin added by @angular-builders/custom-esbuild, nothing is rewritten, and the plugin says so although Angular silences the log', () => {
    const config = JSON.parse(readFileSync(join(app.dir, 'angular.json'), 'utf8'))
    expect(config.projects.extended.architect.build.builder).toBe('@angular-builders/custom-esbuild:application')
    expect(logs.extended).toContain("[unplugin-sentry-trace] runs after Angular's compiler plugin, which loads every script itself: nothing will be rewritten.")
    expect(scriptsOf('dist-extended/browser')).toMatch(/\bfetch\("\/api\/fetch"\)/)
  })

  it("the webpack build's report lists the app's fetch where it is in src/main.ts, and Angular's backends: each one rewritten", () => {
    // Angular's webpack builder does not print webpack's infrastructure log, where our summary line goes: the report tells.
    expect(logs.webpack).toContain('Browser application bundle generation complete')
    const report = JSON.parse(readFileSync(join(app.dir, 'sentry-trace-report.json'), 'utf8')) as { sites: Array<{ file: string; kind: string; line: number; column: number; decision: string; url?: string }> }
    const source = readFileSync(join(app.dir, 'src/main.ts'), 'utf8').split('\n')
    const line = source.findIndex((text) => text.includes("fetch('/api/fetch')"))
    expect(report.sites.filter((site) => site.file === 'src/main.ts')).toEqual([
      { file: 'src/main.ts', kind: 'fetch', line: line + 1, column: source[line]!.indexOf("fetch('/api/fetch')"), decision: 'always', url: '/api/fetch' },
    ])
    const files = new Set(report.sites.map((site) => site.file))
    expect(files).toContain('node_modules/@angular/common/fesm2022/_xhr-chunk.mjs')
    // What the report lists was rewritten: the app's fetch is no longer a plain call in the output.
    expect(scriptsOf('dist-webpack')).not.toMatch(/\bfetch\("\/api\/fetch"\)/)
  })
})


/** Wait until `child` (a dev server on `port`) answers; returns what stops it. */
async function untilAnswers(child: ChildProcess, port: number): Promise<() => Promise<void>> {
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`ng serve ended before it answered:\n${output}`)
    if (await answers(port)) return stop
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`ng serve did not answer within ${START_TIMEOUT_MS} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ host: '127.0.0.1', port, path: '/', timeout: 5_000 }, (response) => {
      response.resume()
      resolve(response.statusCode === 200)
    })
    probe.on('error', () => resolve(false))
    probe.on('timeout', () => probe.destroy())
    probe.end()
  })
}
