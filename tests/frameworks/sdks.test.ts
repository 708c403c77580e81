/**
 * Every official Sentry browser SDK that installs here, initialised as its own docs
 * say, in a page built by Vite with the plugin, run in Chromium against a loopback
 * server that hands out the trace meta tags and records every request: each traced
 * request (fetch in every header shape, XMLHttpRequest, axios) carries exactly one
 * `sentry-trace` and one set of `sentry-` baggage entries, whatever the SDK's own
 * fetch/XHR instrumentation adds; the other requests carry none.
 *
 * Framework SDKs are used through their browser entry in a plain page: what adds
 * headers is the `browserTracingIntegration` their `init` (or, for Nuxt, the module's
 * client plugin) installs, and that needs no framework. Where an SDK's browser
 * code imports the framework, the page gets a stand-in for that module
 * (`app/stubs/`): SvelteKit's `$app/stores`, Next's `next/router` and `next/constants.js`;
 * and as there is no Angular CLI to link @sentry/angular's partially compiled service,
 * Angular's JIT compiler is loaded ahead of it.
 *
 * Each SDK is built twice: connected (the plugin's `sentry` option naming that SDK,
 * what auto-detection picks in an app that lists it) and standalone (`sentry: false`,
 * all pages in one build). A build without the plugin gives the outcomes every page
 * must reproduce, and shows which requests the SDK alone traces, and that the README's
 * line turns its own request instrumentation off (`?off`).
 *
 * Versions (the newest that install from the registry reached here; see app/package.json):
 * @sentry/browser and /react 11.12.0, /vue 11.11.0, /angular 11.0.0, /nextjs 11.5.0
 * (11.6 and later need an @sentry/cloudflare of their version, which the registry
 * lacks), /svelte, /react-router, /nuxt and /sveltekit 10.75.2 (the registry has no
 * 11 of the first three; /sveltekit 11.7 needs that @sentry/cloudflare too).
 */

import { existsSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { Browser } from 'playwright-core'
import { build, type InlineConfig } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import sentryTrace from '../../plugin/vite.js'
import { META_BAGGAGE, PARENT_SPAN_ID, TRACE_ID } from '../bundlers/helpers/page.js'
import { startRecordServer, type RecordedRequest, type RecordServer } from '../helpers/record-server.js'
import { installApp, type InstalledApp } from './helpers/app.js'

const SDKS = ['browser', 'react', 'vue', 'svelte', 'angular', 'nextjs', 'react-router', 'nuxt', 'sveltekit'] as const
type Sdk = (typeof SDKS)[number]
/** The SDKs whose own request instrumentation the README's line turns off (`?off` adds it to the page). */
const OFF_SDKS = ['browser', 'react', 'vue', 'svelte', 'angular', 'nextjs', 'sveltekit'] as const satisfies readonly Sdk[]

const TARGETS = [/^\/traced\//]
const META_TAGS = `<meta name="sentry-trace" content="${TRACE_ID}-${PARENT_SPAN_ID}-1"><meta name="baggage" content="${META_BAGGAGE}">`
const SENTRY_TRACE = /^([0-9a-f]{32})-([0-9a-f]{16})(-[01])?$/
/** How long a page may take to make its requests. */
const PAGE_TIMEOUT_MS = 20_000

/** The requests every page makes (app/src/requests.ts), in order. */
const TRACED = [
  '/traced/fetch',
  '/traced/fetch-runtime',
  '/traced/fetch-request',
  '/traced/fetch-headers',
  '/traced/fetch-pairs',
  '/traced/fetch-object-baggage',
  '/traced/fetch-pairs-baggage',
  '/traced/xhr',
  '/traced/xhr-baggage',
  '/traced/axios',
]
const UNTRACED = ['/other/fetch', '/other/xhr', '/other/axios']
/** The caller's own baggage entries, which must stay next to ours. */
const CALLER_BAGGAGE: Record<string, string> = {
  '/traced/fetch-object-baggage': 'app=object',
  '/traced/fetch-pairs-baggage': 'app=pairs',
  '/traced/xhr-baggage': 'app=xhr',
}

interface Outcome {
  path: string
  status: number
  echoed: string
}

let app: InstalledApp
let server: RecordServer
let browser: Browser
/** What each page gives without the plugin. */
const plain = new Map<string, { outcomes: Outcome[]; traced: string[] }>()

/** Stand-ins for framework modules an SDK's browser code imports (see above). */
function frameworkStandIns(dir: string): InlineConfig {
  return {
    resolve: {
      alias: [
        { find: /^\$app\/stores$/, replacement: join(dir, 'stubs/app-stores.js') },
        { find: /^next\/router$/, replacement: join(dir, 'stubs/next-router.js') },
        { find: /^next\/constants(\.js)?$/, replacement: join(dir, 'stubs/next-constants.js') },
        { find: /^@sentry\/angular$/, replacement: join(dir, 'stubs/sentry-angular-jit.js') },
      ],
    },
    // Next inlines process.env into client code; @sentry/nextjs reads its build-time values there.
    define: { 'process.env': '{}', 'process.turbopack': 'undefined' },
  }
}

async function buildPages(base: string, sdks: readonly Sdk[], sentry: string | false | undefined): Promise<void> {
  await build({
    ...frameworkStandIns(app.dir),
    root: app.dir,
    base: `/${base}/`,
    configFile: false,
    logLevel: 'silent',
    plugins: sentry === undefined ? [] : [sentryTrace({ tracePropagationTargets: TARGETS, sentry })],
    build: {
      outDir: `dist/${base}`,
      emptyOutDir: true,
      minify: false,
      rollupOptions: { input: Object.fromEntries(sdks.map((sdk) => [sdk, join(app.dir, `${sdk}.html`)])) },
    },
  })
}

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

/** Serves the built pages under `/<base>/`, with the meta tags of the trace the page continues. */
function serveBuilt(request: RecordedRequest, response: import('node:http').ServerResponse): boolean {
  const path = request.url.split('?')[0]!
  const file = join(app.dir, 'dist', path)
  if (path.includes('..') || !/^\/[a-z-]+\/./.test(path) || !existsSync(file)) return false
  let body: string | Buffer = readFileSync(file)
  if (extname(file) === '.html') body = body.toString('utf8').replace('<head>', `<head>${META_TAGS}`)
  response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
  response.end(body)
  return true
}

/** Loads a built page, waits for its requests, and gives their outcomes and what the server got. */
async function runPage(base: string, sdk: Sdk, query = ''): Promise<{ outcomes: Outcome[]; requests: Map<string, RecordedRequest> }> {
  server.requests.length = 0
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  try {
    await page.goto(`${server.origin}/${base}/${sdk}.html${query}`, { timeout: PAGE_TIMEOUT_MS })
    await page.waitForFunction(() => 'outcomes' in window, undefined, { timeout: PAGE_TIMEOUT_MS }).catch((error: Error) => {
      throw new Error(`${error.message}\npage errors: ${errors.join('\n') || 'none'}`)
    })
    const outcomes = (await page.evaluate(() => (window as unknown as { outcomes: Promise<unknown> }).outcomes)) as Outcome[] | { error: string }
    expect(errors).toEqual([])
    if (!Array.isArray(outcomes)) throw new Error(`the ${sdk} page failed: ${outcomes.error}`)
    const requests = new Map<string, RecordedRequest>()
    for (const request of server.received()) {
      if (/^\/(traced|other)\//.test(request.url)) {
        expect(requests.has(request.url), `${request.url} sent once`).toBe(false)
        requests.set(request.url, request)
      }
    }
    return { outcomes, requests }
  } finally {
    await page.close()
  }
}

/** Every value of `name` the request carried: one per header line, each split where the client combined repeats. */
function headerValues(request: RecordedRequest, name: string): string[] {
  const values: string[] = []
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i]!.toLowerCase() === name) values.push(...request.rawHeaders[i + 1]!.split(/\s*,\s*/))
  }
  return values
}

/** One trace on the request: a single sentry-trace of the page's trace, one set of sentry- baggage, no traceparent. */
function expectOneTrace(request: RecordedRequest): void {
  const [sentryTrace, ...more] = headerValues(request, 'sentry-trace')
  expect(more, `${request.url}: one sentry-trace`).toEqual([])
  expect(sentryTrace, `${request.url}: sentry-trace`).toMatch(SENTRY_TRACE)
  expect(SENTRY_TRACE.exec(sentryTrace!)![1], `${request.url}: continues the page's trace`).toBe(TRACE_ID)
  expect(headerValues(request, 'traceparent'), `${request.url}: traceparent is off`).toEqual([])

  const baggage = headerValues(request, 'baggage')
  const keys = baggage.map((entry) => entry.split('=')[0]!)
  expect(keys.filter((key) => key.startsWith('sentry-')).length, `${request.url}: sentry- baggage`).toBeGreaterThan(0)
  expect(new Set(keys).size, `${request.url}: one set of baggage entries (${baggage.join(',')})`).toBe(keys.length)
  expect(baggage, `${request.url}: baggage of the page's trace`).toContain(`sentry-trace_id=${TRACE_ID}`)
  const own = CALLER_BAGGAGE[request.url]
  if (own) expect(baggage, `${request.url}: the caller's baggage kept`).toContain(own)
}

function expectNoTrace(request: RecordedRequest): void {
  for (const name of ['sentry-trace', 'baggage', 'traceparent']) expect(headerValues(request, name), `${request.url}: ${name}`).toEqual([])
}

beforeAll(async () => {
  app = installApp('sdks', 20)
  server = await startRecordServer({ respond: serveBuilt })
  browser = await launchBrowser({})
  await buildPages('plain', SDKS, undefined)
  for (const [sdk, query] of [...SDKS.map((sdk) => [sdk, ''] as const), ...OFF_SDKS.map((sdk) => [sdk, '?off'] as const)]) {
    const { outcomes, requests } = await runPage('plain', sdk, query)
    plain.set(sdk + query, { outcomes, traced: [...requests.values()].filter((request) => headerValues(request, 'sentry-trace').length).map((request) => request.url) })
  }
}, 600_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('without the plugin', () => {
  it.each(SDKS)('@sentry/%s alone traces the same requests (its tracePropagationTargets are the plugin\'s)', (sdk) => {
    const { outcomes, traced } = plain.get(sdk)!
    expect(outcomes.map((outcome) => outcome.path)).toEqual([...TRACED, ...UNTRACED])
    expect(outcomes.every((outcome) => outcome.status === 200 && outcome.echoed === outcome.path)).toBe(true)
    expect(traced).toEqual(TRACED)
  })

  it.each(OFF_SDKS)('@sentry/%s with the README\'s line traces nothing itself', (sdk) => {
    const { outcomes, traced } = plain.get(`${sdk}?off`)!
    expect(outcomes).toEqual(plain.get(sdk)!.outcomes)
    expect(traced).toEqual([])
  })
})

describe.each([
  ['connected to the SDK', true],
  ['standalone', false],
] as const)('with the plugin, %s', (_mode, connected) => {
  if (!connected) beforeAll(() => buildPages('standalone', SDKS, false), 300_000)

  it.each(SDKS)('@sentry/%s: one sentry-trace and one sentry- baggage set per traced request, none on the others', async (sdk) => {
    const base = connected ? `connected-${sdk}` : 'standalone'
    if (connected) await buildPages(base, [sdk], `@sentry/${sdk}`)
    const { outcomes, requests } = await runPage(base, sdk)
    // The page does what it did without the plugin.
    expect(outcomes).toEqual(plain.get(sdk)!.outcomes)
    expect([...requests.keys()].sort()).toEqual([...TRACED, ...UNTRACED].sort())
    for (const path of TRACED) expectOneTrace(requests.get(path)!)
    for (const path of UNTRACED) expectNoTrace(requests.get(path)!)
  }, 180_000)

  if (!connected) {
    it.each(OFF_SDKS)('@sentry/%s with the README\'s line: the same one trace per traced request', async (sdk) => {
      const { outcomes, requests } = await runPage('standalone', sdk, '?off')
      expect(outcomes).toEqual(plain.get(sdk)!.outcomes)
      for (const path of TRACED) expectOneTrace(requests.get(path)!)
      for (const path of UNTRACED) expectNoTrace(requests.get(path)!)
    }, 180_000)
  }
})
