/**
 * Next.js 16, for real: the app in `tests/frameworks/next/app` (App Router, a client
 * component with fetch, XMLHttpRequest and a dependency's fetch (ky), a server
 * component, a route handler and edge middleware that make requests of their own), configured with the README's one line
 * (`withSentryTrace`) inside `withSentryConfig` of `@sentry/nextjs` 11.5.0, set up as
 * its docs say (`instrumentation-client.js`, `instrumentation.js` with the server and
 * edge configs; the newest release that installs from the registry reached here),
 * installed from its own lock and run under Node 24 (the
 * current LTS: React's server rendering in `next dev` wants `ArrayBuffer.prototype.detached`).
 *
 * Built with Turbopack (the default) and with webpack (`--webpack`), each served by
 * `next start`, and served by `next dev` with each bundler, behind the loopback
 * proxy that starts a trace for every page request (the root layout renders it into
 * the meta tags) and records what reaches the server; Chromium drives the pages.
 * The browser's requests to `/api` continue the page's trace with one `sentry-trace`
 * and one `sentry-` baggage set whatever the SDK's own request instrumentation adds
 * (the RegExp target went through Turbopack's JSON-only loader options); others carry
 * nothing; the runtime is connected to the SDK (after a client-side navigation the
 * headers are the SDK's navigation span's, which a standalone runtime cannot make);
 * server and edge code are left as written, with no runtime and nothing of the
 * browser SDK in their output (only the server and edge SDKs `instrumentation.js`
 * loads), and both builds pass, with no Edge Runtime warning through the runtime (webpack
 * warns of @sentry/nextjs's own edge entry, as it does without the plugin); the report lists the
 * browser's call sites only; and the same app built without the plugin makes the
 * same requests, with the SDK's own headers on its `/api` ones only.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import { filesUnder, installApp, type InstalledApp } from './helpers/app.js'
import { PAGE_ENVIRONMENT, startProxy, type PageTrace, type ProxiedRequest, type Proxy } from './helpers/proxy.js'

const NEXT = 'node_modules/next/dist/bin/next'
/** Generous: a dev server compiles each route and its client code on first request, on a busy machine. */
const PAGE_TIMEOUT_MS = 120_000
const START_TIMEOUT_MS = 180_000
const BUILD_TIMEOUT_MS = 420_000
/** What a runtime bundled into server code would bring along: its marker, helper names and module names. */
const RUNTIME_TRACES = ['unplugin-sentry-trace/', 'unplugin-sentry-trace runtime', '__sentryTrace_', 'traceFetchFunction', 'untraceFetchFunction', 'tracedFetch', 'alwaysTracedFetch', 'traceFetchIn', 'traceFetchOn', 'TracedXMLHttpRequest']
/**
 * What the Sentry browser SDK (of @sentry/nextjs, which the runtime connects to) brings
 * along: its tracing integration's name and its XMLHttpRequest instrumentation's
 * property. The server and edge SDKs that `instrumentation.js` loads have neither.
 */
const BROWSER_SDK_TRACES = ['BrowserTracing', '__sentry_xhr_v3__']

const BUNDLERS = { turbopack: [], webpack: ['--webpack'] } as const
type Bundler = keyof typeof BUNDLERS

let app: InstalledApp
let browser: Browser | undefined
const buildLogs: Partial<Record<Bundler | 'plain', string>> = {}
const env = (distDir: string, extra: NodeJS.ProcessEnv = {}) => ({ NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', ...extra })

beforeAll(async () => {
  app = installApp('next', 24)
  for (const bundler of Object.keys(BUNDLERS) as Bundler[]) {
    buildLogs[bundler] = await app.run(NEXT, ['build', ...BUNDLERS[bundler]], { timeoutMs: BUILD_TIMEOUT_MS, env: env(`.next-${bundler}`) })
  }
  buildLogs.plain = await app.run(NEXT, ['build'], { timeoutMs: BUILD_TIMEOUT_MS, env: env('.next-plain', { WITHOUT_PLUGIN: '1' }) })
  browser = await launchBrowser({})
}, 3 * BUILD_TIMEOUT_MS)

afterAll(async () => {
  await browser?.close()
})

interface Visit {
  errors: string[]
  shown: Record<string, string>
  requests: ProxiedRequest[]
  pages: PageTrace[]
}

/** Open `path`, wait until the `#id` elements show something else than `pending`, then (`follow`) follow `#to-second` client-side and wait for `#after`. */
async function visit(proxy: Proxy, path: string, waitFor: string[], follow = true): Promise<Visit> {
  proxy.clear()
  const context = await browser!.newContext()
  const errors: string[] = []
  try {
    const page = await context.newPage()
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`))
    page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`))
    const shown: Record<string, string> = {}
    const shows = async (ids: string[]) => {
      await page
        .waitForFunction((wanted) => wanted.every((id) => !['', 'pending'].includes(document.getElementById(id)?.textContent ?? '')), ids, { timeout: PAGE_TIMEOUT_MS })
        .catch((error: Error) => {
          throw new Error(`${ids.join(', ')} not shown: ${error.message}\nerrors: ${errors.join('\n') || 'none'}`)
        })
      for (const id of ids) shown[id] = (await page.textContent(`#${id}`, { timeout: PAGE_TIMEOUT_MS })) ?? ''
    }
    await page.goto(proxy.origin + path, { timeout: PAGE_TIMEOUT_MS })
    await shows(waitFor)
    if (follow) {
      await page.click('#to-second', { timeout: PAGE_TIMEOUT_MS })
      await shows(['after'])
    }
    shown.url = new URL(page.url()).pathname
    return { errors, shown, requests: proxy.requests.slice(), pages: proxy.pages.slice() }
  } finally {
    await context.close()
  }
}

const home = (proxy: Proxy) => visit(proxy, '/', ['server', 'component', 'dependency', 'xhr', 'handlers'])
const quiet = (proxy: Proxy) => visit(proxy, '/quiet', ['quiet'])
/** A page of the Pages Router (pages/legacy.js), in the same app. */
const legacy = (proxy: Proxy) => visit(proxy, '/legacy', ['sdk-trace', 'legacy', 'legacy-xhr'], false)
const SHOWN_HOME = { server: '200', component: '200,200', dependency: '200', xhr: '200', handlers: '200,200', after: '200', url: '/second' }
const SHOWN_QUIET = { quiet: 'quiet', after: '200', url: '/second' }
const SHOWN_LEGACY = { legacy: '200', 'legacy-xhr': '200', url: '/legacy' }
const LEGACY_REQUESTS = ['/api/legacy', '/api/legacy-xhr']

const pathOf = (request: ProxiedRequest) => new URL(request.url, 'http://x').pathname
const headerValues = (request: ProxiedRequest, name: string) => request.headers.filter(([key]) => key === name).map(([, value]) => value)

/** One baggage header, and in it each `sentry-` key once: one set of the SDK's and the runtime's entries, not two. */
function onlyBaggage(request: ProxiedRequest): string[] {
  const baggage = headerValues(request, 'baggage')
  expect(baggage, `baggage of ${request.url}`).toHaveLength(1)
  const entries = baggage[0]!.split(',')
  const keys = entries.filter((entry) => entry.startsWith('sentry-')).map((entry) => entry.split('=')[0])
  expect(keys, `sentry- keys of ${request.url}`).toEqual([...new Set(keys)])
  return entries
}

function only(run: Visit, path: string): ProxiedRequest {
  const found = run.requests.filter((request) => pathOf(request) === path)
  expect(found.map((request) => request.url), `requests to ${path}`).toHaveLength(1)
  return found[0]!
}

function onlyPage(run: Visit, path: string): PageTrace {
  expect(run.pages.map((page) => page.url)).toEqual([path])
  return run.pages[0]!
}

function expectPageTrace(request: ProxiedRequest, page: PageTrace): void {
  const traces = headerValues(request, 'sentry-trace')
  expect(traces, `sentry-trace of ${request.url}`).toHaveLength(1)
  const [traceId, spanId, sampled] = traces[0]!.split('-')
  expect({ traceId, sampled }, request.url).toEqual({ traceId: page.traceId, sampled: '1' })
  expect(spanId, request.url).toMatch(/^[0-9a-f]{16}$/)
  expect(spanId, 'the server span is not sent on').not.toBe(page.parentSpanId)
  expect(onlyBaggage(request), request.url).toEqual(expect.arrayContaining([`sentry-trace_id=${page.traceId}`, `sentry-environment=${PAGE_ENVIRONMENT}`, 'sentry-sampled=true']))
}

/**
 * A trace the SDK started on a client-side navigation: a new trace id, sampled
 * (`tracesSampleRate: 1`), and the SDK's own sampling context, with the public key of
 * the DSN: the runtime took the headers from the SDK (a standalone runtime would send
 * `sentry-trace_id` alone, with no sampling flag).
 */
function expectNavigationTrace(request: ProxiedRequest, page: PageTrace): void {
  const traces = headerValues(request, 'sentry-trace')
  expect(traces, `sentry-trace of ${request.url}`).toHaveLength(1)
  expect(traces[0], request.url).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/)
  const traceId = traces[0]!.split('-')[0]
  expect(traceId, 'a navigation starts a new trace').not.toBe(page.traceId)
  expect(onlyBaggage(request), request.url).toEqual(expect.arrayContaining([`sentry-trace_id=${traceId}`, 'sentry-public_key=public', 'sentry-sampled=true', 'sentry-sample_rate=1']))
}

/**
 * The page shows, loaded and settled, what it looked like, and the trace the Sentry SDK
 * propagates from it (`getTraceData()`, the SDK as the oracle: on a Pages Router page
 * @sentry/nextjs picks the pageload's trace itself).
 */
function expectLegacyPage(run: Visit): void {
  expect(run.errors).toEqual([])
  const { 'sdk-trace': sdkTrace, ...shown } = run.shown
  expect(shown).toEqual(SHOWN_LEGACY)
  expect(sdkTrace).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/)
}

/** The request carries the trace the SDK propagates from its page, once, with the SDK's sampling context. */
function expectPagesRouterTrace(run: Visit, path: string): void {
  const request = only(run, path)
  const traceId = run.shown['sdk-trace']!.split('-')[0]
  const traces = headerValues(request, 'sentry-trace')
  expect(traces, `sentry-trace of ${path}`).toHaveLength(1)
  expect(traces[0], path).toMatch(new RegExp(`^${traceId}-[0-9a-f]{16}-1$`))
  expect(onlyBaggage(request), path).toEqual(expect.arrayContaining([`sentry-trace_id=${traceId}`, 'sentry-public_key=public', 'sentry-sampled=true']))
}

function expectNoTrace(request: ProxiedRequest): void {
  for (const name of ['sentry-trace', 'baggage', 'traceparent']) expect(headerValues(request, name), `${name} of ${request.url}`).toEqual([])
}

/** Made by server code (a server component, a route handler, middleware), as written. */
function expectFromServer(request: ProxiedRequest): void {
  expect(headerValues(request, 'user-agent').join(), `${request.url} from the server`).not.toMatch(/Chrome/)
  expectNoTrace(request)
}

const SERVER_REQUESTS = ['/api/from-server', '/api/from-handler', '/api/from-middleware']
const BROWSER_REQUESTS = ['/api/component', '/other/component', '/api/dependency', '/api/xhr', '/relay', '/mw/ping', '/api/after-navigation']

interface Served {
  proxy: Proxy
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ host: '127.0.0.1', port, path: '/api/ready', timeout: 30_000 }, (response) => {
      response.resume()
      resolve(response.statusCode === 200)
    })
    probe.on('error', () => resolve(false))
    probe.on('timeout', () => probe.destroy())
    probe.end()
  })
}

/** Request each page and route once, so that a dev server compiles them before the browser comes. */
async function warm(proxy: Proxy): Promise<void> {
  for (const path of ['/api/warm', '/', '/quiet', '/second', '/legacy', '/relay', '/mw/ping']) {
    const response = await fetch(proxy.origin + path, { headers: { 'sec-fetch-dest': 'document' }, signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) })
    await response.arrayBuffer()
  }
}

/** `next <command>` on a free port behind the proxy; ready once `/api/ready` answers. */
async function serve(command: 'start' | 'dev', args: string[], distDir: string): Promise<Served> {
  const port = await freePort()
  // The app's server code makes requests through the proxy with Node's fetch, which keeps connections.
  const proxy = await startProxy({ port }, { keepAliveTimeoutMs: 10_000 })
  const child: ChildProcess = app.start(NEXT, [command, ...args, '--hostname', '127.0.0.1', '--port', String(port)], env(distDir))
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    await proxy.close()
  }
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop()
      throw new Error(`next ${command} ended before it answered:\n${output}`)
    }
    if (await answers(port)) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`next ${command} did not answer within ${START_TIMEOUT_MS} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return { proxy, stop }
}

function tracedSuite(name: string, start: () => Promise<Served>, warmUp: boolean): void {
  describe(name, () => {
    let served: Served | undefined
    let fromHome: Visit
    let fromQuiet: Visit
    let fromLegacy: Visit

    beforeAll(async () => {
      served = await start()
      // A dev server compiles each route on its first request.
      if (warmUp) await warm(served.proxy)
      fromHome = await home(served.proxy)
      fromQuiet = await quiet(served.proxy)
      fromLegacy = await legacy(served.proxy)
    }, 8 * PAGE_TIMEOUT_MS + START_TIMEOUT_MS)

    afterAll(async () => {
      await served?.stop()
    })

    it('loads and runs the pages without an error', () => {
      expect(fromHome.errors).toEqual([])
      expect(fromHome.shown).toEqual(SHOWN_HOME)
      expect(fromQuiet.errors).toEqual([])
      expect(fromQuiet.shown).toEqual(SHOWN_QUIET)
    })

    it("the client component's fetch and XMLHttpRequest and the dependency's fetch continue the page's trace; requests no target matches carry nothing", () => {
      const page = onlyPage(fromHome, '/')
      for (const path of ['/api/component', '/api/dependency', '/api/xhr']) expectPageTrace(only(fromHome, path), page)
      for (const path of ['/other/component', '/relay', '/mw/ping']) expectNoTrace(only(fromHome, path))
    })

    it('server components, route handlers and edge middleware make their requests as written', () => {
      for (const path of SERVER_REQUESTS) expectFromServer(only(fromHome, path))
    })

    it("a Pages Router page's fetch and XMLHttpRequest join the trace the SDK propagates from that page, as the SDK alone does", () => {
      expectLegacyPage(fromLegacy)
      for (const path of LEGACY_REQUESTS) expectPagesRouterTrace(fromLegacy, path)
    })

    it('after a client-side navigation the page has a new trace, also when no request came before it (the meta tags were read first thing)', () => {
      expectNavigationTrace(only(fromHome, '/api/after-navigation'), onlyPage(fromHome, '/'))
      expectNavigationTrace(only(fromQuiet, '/api/after-navigation'), onlyPage(fromQuiet, '/quiet'))
    })
  })
}

for (const bundler of Object.keys(BUNDLERS) as Bundler[]) {
  tracedSuite(`next build (${bundler}), served by next start`, () => serve('start', [], `.next-${bundler}`), false)
  tracedSuite(`next dev (${bundler})`, () => serve('dev', [...BUNDLERS[bundler]], `.next-dev-${bundler}`), true)
}

describe('the same app built without the plugin', () => {
  let served: Served | undefined
  let fromHome: Visit
  let fromLegacy: Visit

  beforeAll(async () => {
    served = await serve('start', [], '.next-plain')
    fromHome = await home(served.proxy)
    fromLegacy = await legacy(served.proxy)
  }, 4 * PAGE_TIMEOUT_MS + START_TIMEOUT_MS)

  afterAll(async () => {
    await served?.stop()
  })

  it("makes the same requests and shows the same; the SDK alone puts its headers on the browser's /api requests only", () => {
    expect(fromHome.errors).toEqual([])
    expect(fromHome.shown).toEqual(SHOWN_HOME)
    const made = fromHome.requests.map(pathOf)
    for (const path of [...BROWSER_REQUESTS, ...SERVER_REQUESTS]) expect(made.filter((made) => made === path), path).toHaveLength(1)
    const traced = fromHome.requests.filter((request) => headerValues(request, 'sentry-trace').length > 0).map(pathOf)
    expect(traced.sort()).toEqual(BROWSER_REQUESTS.filter((path) => path.startsWith('/api/')).sort())
    for (const path of SERVER_REQUESTS) expectFromServer(only(fromHome, path))
    expectLegacyPage(fromLegacy)
    // The SDK's own fetch and XHR tracing: the same trace as the runtime sends above.
    for (const path of LEGACY_REQUESTS) expectPagesRouterTrace(fromLegacy, path)
  })
})

describe.each(Object.keys(BUNDLERS) as Bundler[])('next build (%s) output', (bundler) => {
  const distDir = `.next-${bundler}`
  const scripts = (dir: string) =>
    filesUnder(join(app.dir, dir))
      .filter((file) => /\.[cm]?js$/.test(file))
      .map((file) => ({ file: `${dir}/${file}`, text: readFileSync(join(app.dir, dir, file), 'utf8') }))
  const found = (files: Array<{ file: string; text: string }>, names: string[]) => files.flatMap(({ file, text }) => names.filter((name) => text.includes(name)).map((name) => `${file}: ${name}`))

  it('server and edge output has no runtime and nothing of the browser SDK; it holds the server code as written; no Edge Runtime complaint through the runtime', () => {
    const server = scripts(`${distDir}/server`)
    // What is searched holds the requests of the server component, the route handlers and the middleware.
    for (const path of SERVER_REQUESTS) expect(server.filter(({ text }) => text.includes(path)).map(({ file }) => file), path).not.toEqual([])
    // And the server and edge SDKs of @sentry/nextjs that instrumentation.js loads (their spans' origin).
    expect(server.some(({ text }) => text.includes('auto.function.nextjs'))).toBe(true)
    expect(found(server, RUNTIME_TRACES)).toEqual([])
    expect(found(server, BROWSER_SDK_TRACES)).toEqual([])
    // @sentry/nextjs 11.5 alone makes webpack warn that its edge entry reaches
    // `process.features` (the same without the plugin): every such warning must come
    // from there, none through the runtime.
    const edgeWarnings = buildLogs[bundler]!.split(/\n(?=\S)/).filter((block) => block.includes('Edge Runtime'))
    const traces = buildLogs[bundler]!.split('Import trace for requested module:').slice(1).map((trace) => trace.split('\n\n')[0]!.trim().split('\n'))
    expect(traces.length).toBeGreaterThanOrEqual(edgeWarnings.length)
    for (const trace of traces) {
      expect(trace.join('\n')).not.toContain('unplugin-sentry-trace')
      expect(trace.at(-1)).toBe('./node_modules/@sentry/nextjs/build/esm/edge/index.js')
    }
    if (bundler === 'turbopack') expect(edgeWarnings).toEqual([])
  })

  it('the browser code carries the browser SDK, and no machine path', () => {
    const client = scripts(`${distDir}/static`)
    for (const name of BROWSER_SDK_TRACES) expect(client.some(({ text }) => text.includes(name)), name).toBe(true)
    expect(found(client, [app.dir])).toEqual([])
  })

  it('the report lists the browser call sites only, with paths relative to the project; one summary line', () => {
    const report = JSON.parse(readFileSync(join(app.dir, `${distDir}-sentry-trace-report.json`), 'utf8')) as {
      summary: { sites: number }
      sites: Array<{ file: string; kind: string; url?: string; decision: string }>
    }
    const files = [...new Set(report.sites.map((site) => site.file))]
    for (const file of files) expect(existsSync(join(app.dir, file)), `${file} is a file of the project`).toBe(true)
    expect(report.sites.filter((site) => site.file === 'app/requests.js').map(({ kind, url, decision }) => ({ kind, url, decision }))).toEqual([
      { kind: 'fetch', url: '/api/component', decision: 'always' },
      { kind: 'fetch', url: '/other/component', decision: 'never' },
      { kind: 'xhr', url: undefined, decision: 'runtime' },
      { kind: 'fetch', url: '/relay', decision: 'never' },
      { kind: 'fetch', url: '/mw/ping', decision: 'never' },
    ])
    expect(files).toContain('app/second/after-navigation.js')
    expect(report.sites.filter((site) => site.file === 'pages/legacy.js').map(({ kind, url, decision }) => ({ kind, url, decision }))).toEqual([
      { kind: 'fetch', url: '/api/legacy', decision: 'always' },
      { kind: 'xhr', url: undefined, decision: 'runtime' },
    ])
    expect(files.some((file) => file.startsWith('node_modules/ky/'))).toBe(true)
    // No server file: the server component, the route handlers, the middleware.
    expect(files.filter((file) => /(?:^app\/page\.js|route\.js|middleware\.js)$/.test(file))).toEqual([])
    expect(buildLogs[bundler]!.match(/\[unplugin-sentry-trace\] \d+ call sites?: /g)).toEqual([`[unplugin-sentry-trace] ${report.summary.sites} call sites: `])
  })
})
