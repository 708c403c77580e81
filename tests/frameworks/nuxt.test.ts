/**
 * Nuxt, for real: the app in `tests/frameworks/nuxt/app` (current Nuxt 4, written by
 * hand as the scaffolder downloads its templates), set up with the README's one line
 * in `nuxt.config.ts` (`vite.plugins`), installed from its own lock and run under
 * Node 24, which Nuxt needs. Built with `nuxt build` and served by the Nitro output
 * (`node .output/server/index.mjs`), and served by `nuxt dev`, each behind a loopback
 * proxy that starts a trace for every page request (a Nitro plugin of the app renders
 * it into the meta tags) and records what reaches the server; Chromium drives the pages.
 *
 * The app's lock holds Vite 8.3 (an `overrides` entry): with Vite 8.4, Nuxt 4.5.2's
 * server build fails on its own (`EXTERNAL_MODULES_CANNOT_BE_TRANSFORMED_TO_MODULES`
 * for `unctx`), with or without this plugin.
 *
 * The browser's requests to `/api` continue the page's trace: a `<script setup>`
 * component's `fetch`, a component's `$fetch` and `useFetch` (ofetch reads `fetch`
 * from its own `globalThis` alias), `useFetch` on a client-side navigation; other
 * requests carry nothing; server code (SSR, Nitro routes, the Nitro output) is left
 * as written; the same app built without the plugin sends no trace header and renders
 * the same HTML; the report lists browser code only, at the project root.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import { filesUnder, installApp, type InstalledApp } from './helpers/app.js'
import { startProxy, type Proxy } from './helpers/proxy.js'
import { pathOf, only, onlyPage, visit as visitWith, type Visit, expectPageTrace, expectNavigationTrace, expectNoTrace, expectFromServer, freePort } from './helpers/visit.js'

const NUXT = 'node_modules/nuxt/bin/nuxt.mjs'
/** How long a page may take to show what its requests returned. */
const PAGE_TIMEOUT_MS = 20_000
/** How long a server may take to answer its first request. */
const START_TIMEOUT_MS = 90_000
/** What a runtime bundled into server code would bring along: its marker, helper names and its module's name. */
const RUNTIME_TRACES = ['unplugin-sentry-trace runtime', 'configured-runtime', 'unplugin-sentry-trace', '__sentryTrace_', 'traceFetchFunction', 'untraceFetchFunction', 'tracedFetch', 'alwaysTracedFetch', 'traceFetchIn', 'traceFetchOn']
/** The app's requests (API routes and `/other` routes). */
const APP_REQUEST = /^\/(?:api|other)\/(?!ready$)/
const REPORT = 'sentry-trace-report.json'

let app: InstalledApp
let browser: Browser | undefined
const logs = { plain: '', traced: '' }

beforeAll(async () => {
  app = installApp('nuxt', 24)
  // The same app with the plugin taken out of its config, built first.
  const configFile = join(app.dir, 'nuxt.config.ts')
  const config = readFileSync(configFile, 'utf8')
  const plain = config.replace(/^import sentryTrace .*\n/m, '').replace(/plugins: \[sentryTrace\(.*\)\]/, 'plugins: []')
  expect(plain).not.toContain('sentryTrace')
  writeFileSync(configFile, plain)
  logs.plain = await app.run(NUXT, ['build'], { timeoutMs: 240_000 })
  renameSync(join(app.dir, '.output'), join(app.dir, '.output-plain'))
  writeFileSync(configFile, config)
  logs.traced = await app.run(NUXT, ['build'], { timeoutMs: 240_000 })
  browser = await launchBrowser({})
}, 600_000)

afterAll(async () => {
  await browser?.close()
})

/** Open `path` in the app behind `proxy` (helpers/visit.ts). */
const visit = (proxy: Proxy, path: string, waitFor: string[], click?: { link: string; waitFor: string[] }) =>
  visitWith({ browser: browser!, proxy, timeoutMs: PAGE_TIMEOUT_MS }, path, waitFor, click)


const HOME = ['component', 'dollar', 'client-use-fetch']
const TRACED = ['load', 'server', 'after']
/** From `/` to `/traced` by its link: the page's `useFetch` runs in the browser. */
const navigate = (proxy: Proxy) => visit(proxy, '/', HOME, { link: 'to-traced', waitFor: TRACED })
/** `/traced` as the first page: its `useFetch` ran on the server. */
const direct = (proxy: Proxy) => visit(proxy, '/traced', TRACED)


/** The app's requests, sorted. */
const appRequests = (run: Visit) => run.requests.map(pathOf).filter((path) => APP_REQUEST.test(path)).sort()


interface Served {
  port: number
  proxy: Proxy
  stop(): Promise<void>
}

/** Run `start` on a free port and put a proxy in front of it; ready once `/api/ready` answers. */
async function serve(start: (port: number) => ChildProcess): Promise<Served> {
  const port = await freePort()
  const proxy = await startProxy({ port })
  const child = start(port)
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
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop()
      throw new Error(`the server ended before it answered:\n${output}`)
    }
    if ((await get(port, '/api/ready')).status === 200) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the server did not answer within ${START_TIMEOUT_MS} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return { port, proxy, stop }
}

/** A GET straight to the server (no proxy, so no trace): status and body; status 0 when it does not answer. */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const probe = request({ host: '127.0.0.1', port, path, timeout: 5_000 }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    probe.on('error', () => resolve({ status: 0, body: '' }))
    probe.on('timeout', () => probe.destroy())
    probe.end()
  })
}

/** The Nitro server of the build in `output`. */
const serveBuild = (output: string) => serve((port) => app.start(`${output}/server/index.mjs`, [], { PORT: String(port), HOST: '127.0.0.1' }))


/** What every visit shows: the requests' results, on the page it ended on. */
const SHOWN_NAVIGATE = { component: '200,200', dollar: 'dollar,dollar', 'client-use-fetch': 'use-fetch-client', load: 'use-fetch,use-fetch', server: '200', after: '200', url: '/traced' }
const SHOWN_DIRECT = { load: 'use-fetch,use-fetch', server: '200', after: '200', url: '/traced' }
/** The app's requests on the walk from `/` to `/traced`, sorted. */
const NAVIGATE_REQUESTS = ['/api/after-navigation', '/api/component', '/api/dollar', '/api/from-server', '/api/inner', '/api/use-fetch', '/api/use-fetch-client', '/other/component', '/other/dollar', '/other/use-fetch']

/** The checks of a traced app, whichever server serves it. */
function tracedSuite(name: string, start: () => Promise<Served>, warmUp: boolean): void {
  describe(name, () => {
    let served: Served | undefined
    let navigated: Visit
    let directly: Visit

    beforeAll(async () => {
      served = await start()
      // A dev server optimizes the dependencies it discovers on the first visits, and reloads the page.
      if (warmUp) {
        await navigate(served.proxy)
        await direct(served.proxy)
      }
      navigated = await navigate(served.proxy)
      directly = await direct(served.proxy)
    }, 180_000)

    afterAll(async () => {
      await served?.stop()
    })

    it('loads and runs the pages without an error', () => {
      expect(navigated.errors).toEqual([])
      expect(navigated.shown).toEqual(SHOWN_NAVIGATE)
      expect(directly.errors).toEqual([])
      expect(directly.shown).toEqual(SHOWN_DIRECT)
      expect(appRequests(navigated)).toEqual(NAVIGATE_REQUESTS)
    })

    it("a <script setup> component's fetch continues the page's trace; a request no target matches carries nothing", () => {
      const page = onlyPage(navigated, '/')
      expectPageTrace(only(navigated, '/api/component'), page)
      expectNoTrace(only(navigated, '/other/component'))
    })

    it("a component's $fetch and a client-only useFetch (ofetch) continue the page's trace", () => {
      const page = onlyPage(navigated, '/')
      expectPageTrace(only(navigated, '/api/dollar'), page)
      expectNoTrace(only(navigated, '/other/dollar'))
      expectPageTrace(only(navigated, '/api/use-fetch-client'), page)
    })

    it("on a client-side navigation useFetch runs in the browser: traced as the Sentry SDK would, a new trace after the navigation", () => {
      const page = onlyPage(navigated, '/')
      const traceId = expectNavigationTrace(only(navigated, '/api/use-fetch'), page)
      expectNoTrace(only(navigated, '/other/use-fetch'))
      expect(expectNavigationTrace(only(navigated, '/api/from-server'), page)).toBe(traceId)
      expect(expectNavigationTrace(only(navigated, '/api/after-navigation'), page)).toBe(traceId)
      // The Nitro route's own fetch, on the server.
      expectFromServer(only(navigated, '/api/inner'))
    })

    it('on a direct load useFetch ran on the server; the hydrated page continues the trace', () => {
      const page = onlyPage(directly, '/traced')
      expect(appRequests(directly)).toEqual(['/api/after-navigation', '/api/inner'])
      expectFromServer(only(directly, '/api/inner'))
      expectPageTrace(only(directly, '/api/after-navigation'), page)
    })
  })
}

tracedSuite('nuxt build, served by the Nitro output', () => serveBuild('.output'), false)

tracedSuite('nuxt dev', () => serve((port) => app.start(NUXT, ['dev', '--no-fork', '--host', '127.0.0.1', '--port', String(port)])), true)

describe('the same app built without the plugin', () => {
  let served: Served | undefined
  let traced: Served | undefined
  let navigated: Visit
  let directly: Visit

  beforeAll(async () => {
    served = await serveBuild('.output-plain')
    navigated = await navigate(served.proxy)
    directly = await direct(served.proxy)
  }, 90_000)

  afterAll(async () => {
    await served?.stop()
    await traced?.stop()
  })

  it('makes the same requests and shows the same, with no trace header on any', () => {
    expect(navigated.errors).toEqual([])
    expect(navigated.shown).toEqual(SHOWN_NAVIGATE)
    expect(directly.shown).toEqual(SHOWN_DIRECT)
    expect(appRequests(navigated)).toEqual(NAVIGATE_REQUESTS)
    // Page requests included: the proxy records what the browser sent, before it adds the page's trace.
    for (const request of [...navigated.requests, ...directly.requests]) expectNoTrace(request)
  })

  it('the server renders the same HTML with and without the plugin (but for the names of the client files and the build id)', async () => {
    traced = await serveBuild('.output')
    for (const [path, rendered] of [
      ['/', '<p id="component">pending</p>'],
      ['/traced', '<p id="load">use-fetch,use-fetch</p><p id="server">200</p>'],
    ] as const) {
      const [plain, withPlugin] = await Promise.all([get(served!.port, path), get(traced.port, path)])
      expect(withPlugin.status).toBe(200)
      expect(plain.body).toContain(rendered)
      expect(normalizeHtml(withPlugin.body)).toBe(normalizeHtml(plain.body))
    }
  }, 90_000)
})

/** Client files are named by their content, which the plugin changes; every build has its own id. */
function normalizeHtml(html: string): string {
  return html.replace(/\/_nuxt\/[\w./-]+\.(js|css|json)/g, '/_nuxt/*.$1').replace(/buildId:"[^"]*"/g, 'buildId:"*"').replace(/"buildId":"[^"]*"/g, '"buildId":"*"')
}

describe('build output', () => {
  const read = (dir: string, files: string[]) => files.map((file) => ({ file: `${dir}/${file}`, text: readFileSync(join(app.dir, dir, file), 'utf8') }))
  const scripts = (dir: string) => read(dir, filesUnder(join(app.dir, dir)).filter((file) => /\.[cm]?js$/.test(file)))

  it('server code is left as written: no runtime, no rewritten call, in the Nitro output', () => {
    const server = scripts('.output/server')
    // What is searched holds the Nitro route's own fetch, as written.
    expect(server.filter((script) => /fetch\(new URL\("\/api\/inner"/.test(script.text)).map((script) => script.file)).not.toEqual([])
    const found = server.flatMap(({ file, text }) => RUNTIME_TRACES.filter((name) => text.includes(name)).map((name) => `${file}: ${name}`))
    expect(found).toEqual([])
  })

  it('the browser code carries the runtime only with the plugin', () => {
    const client = (output: string) => scripts(`${output}/public`).map((script) => script.text).join('\n')
    expect(client('.output')).toContain('sentry-trace')
    expect(client('.output-plain')).not.toContain('sentry-trace')
  })

  it('the report is at the project root (not in app/, Vite\'s root), and lists browser code only, with paths relative to the project root', () => {
    expect(existsSync(join(app.dir, 'app', REPORT))).toBe(false)
    const report = JSON.parse(readFileSync(join(app.dir, REPORT), 'utf8')) as { sites: Array<{ file: string; url?: string; decision: string }> }
    const files = [...new Set(report.sites.map((site) => site.file))]
    for (const file of files) expect(existsSync(join(app.dir, file)), `${file} is a file of the project`).toBe(true)
    expect(files.filter((file) => file.startsWith('server/') || file.includes('/server/') || file.startsWith('.nuxt/'))).toEqual([])
    expect(report.sites.filter((site) => site.file.startsWith('app/')).map(({ file, url, decision }) => ({ file, url, decision }))).toEqual([
      { file: 'app/pages/index.vue', url: '/api/component', decision: 'always' },
      { file: 'app/pages/index.vue', url: '/other/component', decision: 'never' },
      { file: 'app/pages/traced.vue', url: '/api/after-navigation', decision: 'always' },
    ])
    // $fetch and useFetch go through ofetch: its call sites are in the report.
    expect(files.filter((file) => file.startsWith('node_modules/ofetch/'))).not.toEqual([])
    // One summary line, for the client build.
    expect(logs.traced.match(/\[unplugin-sentry-trace\] \d+ call sites/g)).toHaveLength(1)
  })
})
