/**
 * Everything the example needs, on 127.0.0.1, started and stopped together: the
 * fake Sentry ingest, the third-party origin, the example backend (page server and
 * second-origin API, traced by @sentry/node), and headless Chromium, which reaches
 * the API as `http://api.test` and the third party as `http://third-party.test`.
 */

import type { Browser, BrowserContext } from 'playwright-core'
import type { ExampleResult } from '../app/src/requests.js'
import { startBackend, type Backend } from './backend.js'
import { launchBrowser } from './browser.js'
import { startIngest, type Ingest } from './ingest.js'
import { startThirdParty, type ThirdParty } from './third-party.js'

export interface VisitOptions {
  /** Make `window.fetch` non-writable and freeze `XMLHttpRequest.prototype` before the app loads. */
  lockGlobals?: boolean
  timeoutMs?: number
  /** Awaited before the page is closed, e.g. until the SDK in the page has sent its spans. */
  beforeClose?(visit: Visit): Promise<unknown>
}

export interface Visit {
  url: string
  results: ExampleResult[]
  /** The `sentry-trace` / `baggage` meta tags the page was served with. */
  meta: { sentryTrace: string | null; baggage: string | null }
  /** Console errors, page errors and failed requests. */
  errors: string[]
  /** Which of `fetch`, `XMLHttpRequest.prototype.open/send/setRequestHeader` are no longer the functions the page started with. */
  replacedGlobals: string[]
}

export interface Stack {
  ingest: Ingest
  thirdParty: ThirdParty
  backend: Backend
  browser: Browser
  /** Load a page of the app (path on the page server), wait for its requests to finish. */
  visit(path: string, options?: VisitOptions): Promise<Visit>
  close(): Promise<void>
}

/** Runs in the page before any of its scripts. */
function captureGlobals(lock: boolean): void {
  const proto = XMLHttpRequest.prototype
  const captured = { fetch: window.fetch, open: proto.open, send: proto.send, setRequestHeader: proto.setRequestHeader }
  Object.defineProperty(window, '__exampleGlobals', { value: captured })
  if (lock) {
    Object.defineProperty(window, 'fetch', { value: window.fetch, writable: false, configurable: false })
    Object.freeze(proto)
  }
}

function replacedGlobals(): string[] {
  const captured = (window as unknown as { __exampleGlobals: Record<string, unknown> }).__exampleGlobals
  const proto = XMLHttpRequest.prototype
  const now: Record<string, unknown> = { fetch: window.fetch, open: proto.open, send: proto.send, setRequestHeader: proto.setRequestHeader }
  return Object.keys(captured).filter((name) => captured[name] !== now[name])
}

export async function startStack(dist: string): Promise<Stack> {
  const started: Array<{ close(): Promise<void> }> = []
  const close = async () => {
    for (const part of started.reverse()) await part.close().catch(() => {})
  }
  try {
    const ingest = await startIngest()
    started.push(ingest)
    const thirdParty = await startThirdParty()
    started.push(thirdParty)
    const backend = await startBackend({ dist, dsn: ingest.dsn })
    started.push(backend)
    const browser = await launchBrowser({ 'api.test': backend.apiPort, 'third-party.test': thirdParty.port })
    started.push(browser)

    const visit = async (path: string, options: VisitOptions = {}): Promise<Visit> => {
      const context: BrowserContext = await browser.newContext()
      try {
        await context.addInitScript(captureGlobals, !!options.lockGlobals)
        const page = await context.newPage()
        const errors: string[] = []
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(`console: ${message.text()}`)
        })
        page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
        page.on('requestfailed', (request) => errors.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`))
        const url = backend.app + path
        await page.goto(url)
        await page.waitForSelector('#results[data-done]', { timeout: options.timeoutMs ?? 20_000 })
        const results = JSON.parse((await page.textContent('#results')) ?? '[]') as ExampleResult[]
        const meta = await page.evaluate(() => ({
          sentryTrace: document.querySelector('meta[name="sentry-trace"]')?.getAttribute('content') ?? null,
          baggage: document.querySelector('meta[name="baggage"]')?.getAttribute('content') ?? null,
        }))
        const visited: Visit = { url, results, meta, errors, replacedGlobals: await page.evaluate(replacedGlobals) }
        await options.beforeClose?.(visited)
        return visited
      } finally {
        await context.close()
      }
    }

    return { ingest, thirdParty, backend, browser, visit, close }
  } catch (error) {
    await close()
    throw error
  }
}
