/**
 * Trace lifetime in Chromium, our standalone runtime against the installed
 * `@sentry/browser` as the oracle. Each scenario is one page (meta tags and/or a
 * `Server-Timing` header on its response) loaded twice from a loopback server:
 * once with the SDK in its tracing-without-spans mode (browserTracingIntegration,
 * no `tracesSampleRate`), once with our runtime built in. Both pages go through
 * the same requests and client-side navigations, and the headers the server
 * received must be the same, random ids aside: every id is replaced by a label
 * in order of first appearance, so trace continuity, one span id per trace and
 * new traces after navigations all have to line up. `Math.random` is pinned on
 * both pages, so `sentry-sample_rand` compares exactly.
 */

import * as esbuild from 'esbuild'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const SPAN_ID = '00f067aa0ba902b7'
const STEP_TIMEOUT_MS = 10_000

/** The same page script for both: `__fetch` / `__xhr` send a request and resolve once it is over. */
const BUNDLES = {
  sdk: `
    import { browserTracingIntegration, init } from '@sentry/browser'
    init({
      dsn: location.origin.replace('//', '//public@') + '/1',
      integrations: [browserTracingIntegration()],
      propagateTraceparent: true,
      transport: () => ({ send: async () => ({}), flush: async () => true }),
    })
    window.__fetch = (url) => fetch(url).then((response) => response.text())
    window.__xhr = (url) => new Promise((resolve) => {
      const xhr = new XMLHttpRequest()
      xhr.open('GET', url)
      xhr.onloadend = resolve
      xhr.send()
    })
  `,
  ours: `
    import { configure, pickUpMetaTags, tracedFetch, TracedXMLHttpRequest } from './runtime/index.ts'
    configure({ propagateTraceparent: true })
    pickUpMetaTags()
    window.__fetch = (url) => tracedFetch(url).then((response) => response.text())
    window.__xhr = (url) => new Promise((resolve) => {
      const xhr = new TracedXMLHttpRequest()
      xhr.open('GET', url)
      xhr.onloadend = resolve
      xhr.send()
    })
  `,
}
type Impl = keyof typeof BUNDLES

/**
 * DSC entries the SDK takes from its own options for a trace it starts: the
 * environment (its default, as the test sets none) and the DSN's public key. A
 * page without the SDK has neither; they are checked, then left out.
 */
const CLIENT_ENTRIES = ['sentry-environment=production', 'sentry-public_key=public']

interface Scenario {
  meta?: { 'sentry-trace'?: string; baggage?: string }
  serverTiming?: { 'sentry-trace'?: string; baggage?: string }
}

/** What a page does: send a fetch and an XHR, or move the page without loading a document. */
type Step = 'send' | ['push' | 'replace' | 'hash', string] | 'pushSame' | 'back'

const NAVIGATIONS: Step[] = [
  'send',
  'send',
  ['push', '/app/next'],
  'send',
  'send',
  ['replace', '/app/replaced?q=1'],
  'send',
  'pushSame',
  'send',
  ['push', '#fragment'],
  'send',
  ['hash', 'section'],
  'send',
  'back',
  'send',
  // Away and back before any request: only navigation events can tell.
  ['push', '/app/away'],
  ['push', '/app/replaced?q=1'],
  'send',
]

const CONTINUED_BAGGAGE = `sentry-trace_id=${TRACE_ID},sentry-environment=staging,sentry-public_key=from-server,sentry-sample_rate=0.5,other-vendor=1`

const SCENARIOS: Record<string, { scenario: Scenario; steps: Step[] }> = {
  'meta tags, then navigations': {
    scenario: { meta: { 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-1`, baggage: CONTINUED_BAGGAGE } },
    steps: NAVIGATIONS,
  },
  'meta tags with a negative decision and a sample_rand': {
    scenario: { meta: { 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-0`, baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.75000,sentry-sample_rate=0.1` } },
    steps: ['send', ['push', '/app/next'], 'send'],
  },
  'meta tags deferring the decision, no baggage': {
    scenario: { meta: { 'sentry-trace': `${TRACE_ID}-${SPAN_ID}` } },
    steps: ['send', 'send', ['push', '/app/next'], 'send'],
  },
  'Server-Timing without meta tags': {
    scenario: { serverTiming: { 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-1`, baggage: CONTINUED_BAGGAGE } },
    steps: ['send', 'send', ['push', '/app/next'], 'send', 'back', 'send'],
  },
  'an invalid meta tag wins over Server-Timing': {
    scenario: {
      meta: { 'sentry-trace': `${TRACE_ID.toUpperCase()}-${SPAN_ID}-1`, baggage: CONTINUED_BAGGAGE },
      serverTiming: { 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-1`, baggage: CONTINUED_BAGGAGE },
    },
    steps: ['send', 'send', ['push', '/app/next'], 'send'],
  },
  'an empty meta tag falls back to Server-Timing': {
    scenario: { meta: { 'sentry-trace': '' }, serverTiming: { 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-0`, baggage: CONTINUED_BAGGAGE } },
    steps: ['send'],
  },
  'sentry-trace from the meta tag, baggage from Server-Timing': {
    scenario: { meta: { 'sentry-trace': `${TRACE_ID}-${SPAN_ID}-1` }, serverTiming: { baggage: CONTINUED_BAGGAGE } },
    steps: ['send'],
  },
  'no meta tags, no Server-Timing': {
    scenario: {},
    steps: ['send', 'send', ['push', '/app/next'], 'send', ['hash', 'x'], 'send'],
  },
  'baggage that needs parsing': {
    scenario: {
      meta: {
        'sentry-trace': `${TRACE_ID}-${SPAN_ID}-1`,
        baggage:
          ' sentry-a = 1 ,sentry-bad=%E0%A4%A,sentry-empty=,sentry-b=first,vendor=x,sentry-b=last,' +
          'sentry-semi=v;prop=1,sentry-space=has space,sentry-enc=GET%20%2Fitems,sentry-sample_rate=0.25',
      },
    },
    steps: ['send', 'send'],
  },
}

let server: Server
let origin: string
let browser: Browser
const bundles = {} as Record<Impl, string>
/** Trace headers of the requests to /api since the last page started. */
let received: Array<Pick<IncomingHttpHeaders, 'sentry-trace' | 'baggage' | 'traceparent'>> = []
let current: Scenario = {}

const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

beforeAll(async () => {
  for (const impl of Object.keys(BUNDLES) as Impl[]) {
    const result = await esbuild.build({
      stdin: { contents: BUNDLES[impl], resolveDir: REPO, loader: 'ts' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    })
    bundles[impl] = result.outputFiles[0]!.text
  }
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/api') {
      const { 'sentry-trace': sentryTrace, baggage, traceparent } = req.headers
      received.push({ 'sentry-trace': sentryTrace, baggage, traceparent })
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok')
    } else if (url.pathname.endsWith('.js')) {
      const impl = url.pathname.slice(1, -3) as Impl
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundles[impl])
    } else if (url.pathname === '/1/envelope/') {
      res.writeHead(200).end()
    } else {
      const impl = url.searchParams.get('impl') as Impl
      const { meta = {}, serverTiming = {} } = current
      const tags = Object.entries(meta).map(([name, content]) => `<meta name="${name}" content="${attribute(content!)}">`)
      const timing = Object.entries(serverTiming).map(([name, value]) => `${name};desc="${value}"`)
      res.writeHead(200, { 'Content-Type': 'text/html', ...(timing.length ? { 'Server-Timing': timing.join(', ') } : {}) })
      res.end(`<!doctype html><html><head>${tags.join('')}<script src="/${impl}.js"></script></head><body></body></html>`)
    }
  })
  server.keepAliveTimeout = 1
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await launchBrowser({})
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => {
    server?.close(() => resolve())
    server?.closeAllConnections()
  })
})

/** One step in the page, bounded in time. */
async function run(page: Page, step: Step, index: number): Promise<void> {
  await page.evaluate(
    async ([step, index, timeout]) => {
      const w = window as unknown as { __fetch(url: string): Promise<unknown>; __xhr(url: string): Promise<unknown> }
      const popstate = () =>
        new Promise((resolve, reject) => {
          addEventListener('popstate', resolve, { once: true })
          setTimeout(() => reject(new Error('no popstate')), timeout)
        })
      if (step === 'send') {
        await w.__fetch(`/api?step=${index}&via=fetch`)
        await w.__xhr(`/api?step=${index}&via=xhr`)
      } else if (step === 'pushSame') history.pushState({ same: index }, '', location.href)
      else if (step === 'back') {
        const done = popstate()
        history.back()
        await done
      } else if (step[0] === 'push') history.pushState({ index }, '', step[1])
      else if (step[0] === 'replace') history.replaceState({ index }, '', step[1])
      else {
        const done = popstate()
        location.hash = step[1]
        await done
      }
    },
    [step, index, STEP_TIMEOUT_MS] as const,
  )
}

/** The trace headers each request of the scenario carried, from the page of `impl`. */
async function headersSent(impl: Impl, scenario: Scenario, steps: Step[]): Promise<typeof received> {
  current = scenario
  received = []
  const context = await browser.newContext()
  try {
    await context.addInitScript(() => {
      Math.random = () => 0.25
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    await page.goto(`${origin}/app/start?impl=${impl}`, { timeout: STEP_TIMEOUT_MS })
    for (const [index, step] of steps.entries()) await run(page, step, index)
    expect(errors).toEqual([])
    return received
  } finally {
    await context.close()
  }
}

/** Ids replaced by labels in order of first appearance (the scenario's own ids kept). */
function labelled(requests: typeof received): Array<Record<string, string | undefined>> {
  const labels = new Map([
    [TRACE_ID, 'SERVER_TRACE'],
    [SPAN_ID, 'SERVER_SPAN'],
  ])
  const label = (id: string) => {
    if (!labels.has(id)) labels.set(id, `${id.length === 32 ? 'trace' : 'span'}#${labels.size - 1}`)
    return labels.get(id)!
  }
  const replace = (value: string | string[] | undefined) => (value === undefined ? undefined : String(value).replace(/\b[0-9a-f]{32}\b|\b[0-9a-f]{16}\b/g, label))
  return requests.map((request) => ({
    'sentry-trace': replace(request['sentry-trace']),
    baggage: replace(request.baggage),
    traceparent: replace(request.traceparent),
  }))
}

/** The SDK's requests without the DSC entries only its options give (checked present on every trace it started). */
function withoutClientEntries(requests: typeof received): typeof received {
  return requests.map((request) => {
    const entries = String(request.baggage ?? '').split(',')
    const fromClient = entries.filter((entry) => CLIENT_ENTRIES.includes(entry))
    if (fromClient.length) {
      expect(fromClient, 'the SDK started this trace itself').toEqual(CLIENT_ENTRIES)
      expect(entries.some((entry) => entry.startsWith('sentry-trace_id=')), 'a DSC the SDK made itself has the trace id').toBe(true)
    }
    const rest = entries.filter((entry) => !CLIENT_ENTRIES.includes(entry)).join(',')
    return { ...request, baggage: rest || undefined }
  })
}

describe.each(Object.entries(SCENARIOS))('%s', (_name, { scenario, steps }) => {
  it('our runtime sends what the Sentry SDK sends', async () => {
    const sdk = withoutClientEntries(await headersSent('sdk', scenario, steps))
    const ours = await headersSent('ours', scenario, steps)
    const sends = steps.filter((step) => step === 'send').length
    expect(sdk).toHaveLength(2 * sends)
    expect(labelled(ours)).toEqual(labelled(sdk))
    // Not vacuous: every request carried a trace.
    for (const request of ours) expect(request['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}(-[01])?$/)
  })
})
