/**
 * Driving a framework app's page in Chromium behind the loopback proxy (proxy.ts),
 * and reading what reached the server: what the framework tests share.
 */
import type { Browser } from 'playwright-core'
import { expect } from 'vitest'
import type { PageTrace, ProxiedRequest, Proxy } from './proxy.js'

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
