/**
 * Driving a framework app's page in Chromium behind the loopback proxy (proxy.ts),
 * and reading what reached the server: what the framework tests share.
 */
import type { ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { expect } from 'vitest'
import { PAGE_ENVIRONMENT, startProxy, type PageTrace, type ProxiedRequest, type Proxy, type Upstream } from './proxy.js'

export interface Visit {
  /** Uncaught errors, unhandled rejections and console errors. */
  errors: string[]
  /** The text of each element waited for, and the path the page ended on (`url`). */
  shown: Record<string, string>
  /** Every request that reached the server, in arrival order. */
  requests: ProxiedRequest[]
  /** The page requests, each with the trace it was given. */
  pages: PageTrace[]
}

/**
 * Open `path` in a fresh browser context, wait for what it shows (`#id` elements
 * neither empty nor `pending`), and, with `click`, follow that link client-side and
 * wait again. Every wait is bounded by `timeoutMs`.
 */
export async function visit(
  { browser, proxy, timeoutMs }: { browser: Browser; proxy: Proxy; timeoutMs: number },
  path: string,
  waitFor: string[],
  click?: { link: string; waitFor: string[] },
): Promise<Visit> {
  proxy.clear()
  const context = await browser.newContext()
  const errors: string[] = []
  try {
    const page = await context.newPage()
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`))
    page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`))
    const shown: Record<string, string> = {}
    const shows = async (ids: string[]) => {
      await page
        .waitForFunction((wanted) => wanted.every((id) => !['', 'pending'].includes(document.getElementById(id)?.textContent ?? '')), ids, { timeout: timeoutMs })
        .catch((error: Error) => {
          throw new Error(`${ids.join(', ')} not shown: ${error.message}\nerrors: ${errors.join('\n') || 'none'}`)
        })
      for (const id of ids) shown[id] = (await page.textContent(`#${id}`, { timeout: timeoutMs })) ?? ''
    }
    await page.goto(proxy.origin + path, { timeout: timeoutMs })
    await shows(waitFor)
    if (click) {
      await page.click(`#${click.link}`, { timeout: timeoutMs })
      await shows(click.waitFor)
    }
    shown.url = new URL(page.url()).pathname
    return { errors, shown, requests: proxy.requests.slice(), pages: proxy.pages.slice() }
  } finally {
    await context.close()
  }
}

export const pathOf = (request: ProxiedRequest) => new URL(request.url, 'http://x').pathname

/** Every value the request carried for `name` (lowercase), in order. */
export const headerValues = (request: ProxiedRequest, name: string) => request.headers.filter(([key]) => key === name).map(([, value]) => value)

/** The one request to `path`. */
export function only(run: Pick<Visit, 'requests'>, path: string): ProxiedRequest {
  const found = run.requests.filter((request) => pathOf(request) === path)
  expect(found.map((request) => request.url), `requests to ${path}`).toHaveLength(1)
  return found[0]!
}

/** The one page request of the visit, to `path` (any path when undefined). */
export function onlyPage(run: Pick<Visit, 'pages'>, path?: string): PageTrace {
  if (path === undefined) expect(run.pages).toHaveLength(1)
  else expect(run.pages.map((page) => page.url)).toEqual([path])
  return run.pages[0]!
}

/** Exactly one `sentry-trace` and one `baggage`, continuing the page's trace. */
export function expectPageTrace(request: ProxiedRequest, page: PageTrace): void {
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
}

/** A trace the page started on a navigation: a new trace id, no sampling decision, and only that id in the baggage. */
export function expectNavigationTrace(request: ProxiedRequest, page: PageTrace): string {
  const traces = headerValues(request, 'sentry-trace')
  expect(traces, `sentry-trace of ${request.url}`).toHaveLength(1)
  expect(traces[0], request.url).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
  const traceId = traces[0]!.split('-')[0]!
  expect(traceId, 'a navigation starts a new trace').not.toBe(page.traceId)
  expect(headerValues(request, 'baggage'), request.url).toEqual([`sentry-trace_id=${traceId}`])
  return traceId
}

/** No trace header of any kind. */
export function expectNoTrace(request: ProxiedRequest): void {
  for (const name of ['sentry-trace', 'baggage', 'traceparent']) expect(headerValues(request, name), `${name} of ${request.url}`).toEqual([])
}

/** From the server, not the browser (a server load's own fetch). */
export function expectFromServer(request: ProxiedRequest): void {
  expect(headerValues(request, 'user-agent').join(), `${request.url} from the server`).not.toMatch(/Chrome/)
  expectNoTrace(request)
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface Served {
  proxy: Proxy
  stop(): Promise<void>
}

/** Run `start` and put a proxy in front of what it serves; ready once `/api/ready` answers. */
export async function serve(upstream: Upstream, start: () => ChildProcess, startTimeoutMs: number): Promise<Served> {
  const proxy = await startProxy(upstream)
  const child = start()
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
    await proxy.close()
  }
  const deadline = Date.now() + startTimeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop()
      throw new Error(`the server ended before it answered:\n${output}`)
    }
    if (await answers(upstream)) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the server did not answer within ${startTimeoutMs} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return { proxy, stop }
}

function answers(upstream: Upstream): Promise<boolean> {
  return new Promise((resolve) => {
    const target = 'port' in upstream ? { host: '127.0.0.1', port: upstream.port } : { socketPath: upstream.socketPath }
    const probe = request({ ...target, path: '/api/ready', timeout: 2_000 }, (response) => {
      response.resume()
      resolve(response.statusCode === 200)
    })
    probe.on('error', () => resolve(false))
    probe.on('timeout', () => probe.destroy())
    probe.end()
  })
}
