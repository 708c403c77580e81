/**
 * One loopback server and one Chromium for every run. The browser reaches the server
 * under a few host names ("lanes", `lane0.test`, ...), one page at a time on each:
 * the Host header tells which run a request belongs to, and the original and
 * rewritten builds of a scenario run on the same lane, so both see the same origin.
 * Paths under `/api/` and `/other/` are the app's requests, answered with an echo;
 * everything else is a file of the build the lane is serving.
 */

import { existsSync, readFileSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../../../examples/harness/browser.js'
import { startRecordServer, type RecordedRequest } from '../../helpers/record-server.js'
import type { ScenarioBuild } from './builds.js'

/** How long a page may take to load and finish its scenario. */
const RUN_TIMEOUT_MS = 10_000

export const APP_REQUEST = /^\/(?:api|other)\//

export interface PageRun {
  /** Why there was nothing to run (the build failed). */
  buildError?: string
  /** The scenario set its done flag before the timeout. */
  done: boolean
  /** What the scenario recorded: `[label, value]` pairs. */
  transcript: unknown[]
  /** Console messages, `type: text`, in order. */
  console: string[]
  /** Uncaught errors and unhandled rejections. */
  pageErrors: string[]
  /** The app's requests (under `/api/` and `/other/`), in arrival order. */
  requests: RecordedRequest[]
}

interface Lane {
  host: string
  /** The build being served and the requests of its page. */
  current?: { dir: string; requests: RecordedRequest[] }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
}

export interface Site {
  lanes: number
  /** Load the scenario's page on lane `lane` (one run at a time per lane), wait for it to finish, and collect what it did. */
  run(lane: number, build: ScenarioBuild): Promise<PageRun>
  close(): Promise<void>
}

export async function startSite(laneCount: number): Promise<Site> {
  const lanes: Lane[] = Array.from({ length: laneCount }, (_, index) => ({ host: `lane${index}.test` }))
  const server = await startRecordServer({
    respond(request, response) {
      const lane = lanes.find((candidate) => candidate.host === request.headers.host)
      if (!lane?.current) {
        response.writeHead(421).end()
        return true
      }
      const path = request.url.split('?')[0]!
      if (APP_REQUEST.test(path)) {
        lane.current.requests.push(request)
        echo(request, response)
      } else {
        serveFile(lane.current.dir, path, response)
      }
      return true
    },
  })
  let browser: Browser | undefined
  const close = async () => {
    await browser?.close().catch(() => {})
    await server.close()
  }
  let pages: LanePage[]
  try {
    browser = await launchBrowser({ '*.test': Number(new URL(server.origin).port) })
    pages = await Promise.all(lanes.map(() => openLanePage(browser!)))
  } catch (error) {
    await close()
    throw error
  }

  return {
    lanes: laneCount,
    async run(index, build) {
      if (build.error) return { buildError: build.error, done: false, transcript: [], console: [], pageErrors: [], requests: [] }
      const lane = lanes[index]!
      const { page, current } = pages[index]!
      const served = { dir: build.dir, requests: [] as RecordedRequest[] }
      const seen = { console: [] as string[], pageErrors: [] as string[] }
      lane.current = served
      try {
        current.console = seen.console
        current.pageErrors = seen.pageErrors
        await page.goto(`http://${lane.host}/${build.page}`, { timeout: RUN_TIMEOUT_MS })
        const done = await page
          .waitForFunction(() => (window as unknown as { __transcript?: { done: boolean } }).__transcript?.done === true, null, { timeout: RUN_TIMEOUT_MS })
          .then(
            () => true,
            () => false,
          )
        const transcript = await page.evaluate(() => (window as unknown as { __transcript?: { entries: unknown[] } }).__transcript?.entries ?? [])
        // Leave the page, so nothing it still does reaches the next run.
        await page.goto('about:blank')
        return { done, transcript, console: seen.console, pageErrors: seen.pageErrors, requests: served.requests }
      } finally {
        current.console = []
        current.pageErrors = []
        // The server's own log keeps every request; the lanes keep what each run needs.
        server.requests.length = 0
        lane.current = undefined
      }
    },
    close,
  }
}

interface LanePage {
  page: Page
  /** Where the page's console messages and uncaught errors go: the run in progress. */
  current: { console: string[]; pageErrors: string[] }
}

/**
 * One page per lane, navigated from run to run: a new document each time, without
 * the cost of a new renderer.
 */
async function openLanePage(browser: Browser): Promise<LanePage> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const current = { console: [] as string[], pageErrors: [] as string[] }
  page.on('console', (message) => current.console.push(`${message.type()}: ${message.text()}`))
  page.on('pageerror', (error) => current.pageErrors.push(`${error.name}: ${error.message}`))
  return { page, current }
}

/** The app's request, answered the same way every time: status from `/status/<code>`, the method, path and body echoed. */
function echo(request: RecordedRequest, response: ServerResponse): void {
  const status = /\/status\/(\d{3})(?:$|[/?])/.exec(request.url)
  response.writeHead(status ? Number(status[1]) : 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Echo': 'transparency' })
  response.end(JSON.stringify({ method: request.method, url: request.url, body: request.body }))
}

function serveFile(root: string, path: string, response: ServerResponse): void {
  const file = join(root, normalize(decodeURIComponent(path)).replace(/^(?:\.\.[/\\])+/, ''))
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    return
  }
  response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' })
  response.end(readFileSync(file))
}
