/**
 * Astro, for real: the app in `tests/frameworks/astro/app` (current Astro 7, written by
 * hand as the scaffolder downloads its templates), set up with the README's one line in
 * `astro.config.mjs` (`vite.plugins`), installed from its own lock and run under Node 24,
 * which Astro needs. Built with `astro build` (`output: 'server'`, the `@astrojs/node`
 * adapter in standalone mode) and served by its server (`node dist/server/entry.mjs`),
 * and served by `astro dev`, each behind a loopback proxy that starts a trace for every
 * page request (the app's layout renders it into the meta tags) and records what reaches
 * the server; Chromium drives the page.
 *
 * The browser's requests to `/api` continue the page's trace: a `<script>` block's
 * `fetch`, a Preact island's and a Vue island's (`<script setup>` in JavaScript; both
 * `client:load`) and a dependency's (ky, imported by the block); other requests carry
 * nothing; server code (the page's frontmatter, an endpoint with its own `fetch`) is
 * left as written; the same app built without the plugin makes the same requests with
 * no trace header and renders the same HTML; the report lists browser code only, at
 * the project root.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import { filesUnder, installApp, type InstalledApp } from './helpers/app.js'
import { startProxy, type PageTrace, type ProxiedRequest, type Proxy } from './helpers/proxy.js'
import { pathOf, only, onlyPage, expectPageTrace, expectNoTrace, expectFromServer, freePort } from './helpers/visit.js'

const ASTRO = 'node_modules/astro/bin/astro.mjs'
/** No telemetry request leaves the machine. */
const ENV = { ASTRO_TELEMETRY_DISABLED: '1' }
/** How long a page may take to show what its requests returned. */
const PAGE_TIMEOUT_MS = 20_000
/** How long a server may take to answer its first request. */
const START_TIMEOUT_MS = 90_000
/** What a runtime bundled into server code would bring along: its marker, helper names and its module's name. */
const RUNTIME_TRACES = ['unplugin-sentry-trace runtime', 'configured-runtime', 'unplugin-sentry-trace', '__sentryTrace_', 'traceFetchFunction', 'untraceFetchFunction', 'tracedFetch', 'alwaysTracedFetch', 'traceFetchIn', 'traceFetchOn']
/** The app's requests (endpoints under `/api` and `/other`). */
const APP_REQUEST = /^\/(?:api|other)\/(?!ready$)/
const REPORT = 'sentry-trace-report.json'

let app: InstalledApp
let browser: Browser | undefined
const logs = { plain: '', traced: '' }

beforeAll(async () => {
  app = installApp('astro', 24)
  // The same app with the plugin taken out of its config, built first.
  const configFile = join(app.dir, 'astro.config.mjs')
  const config = readFileSync(configFile, 'utf8')
  const plain = config.replace(/^import sentryTrace .*\n/m, '').replace(/plugins: \[sentryTrace\(.*\)\]/, 'plugins: []')
  expect(plain).not.toContain('sentryTrace')
  writeFileSync(configFile, plain)
  logs.plain = await app.run(ASTRO, ['build'], { timeoutMs: 240_000, env: ENV })
  renameSync(join(app.dir, 'dist'), join(app.dir, 'dist-plain'))
  writeFileSync(configFile, config)
  logs.traced = await app.run(ASTRO, ['build'], { timeoutMs: 240_000, env: ENV })
  browser = await launchBrowser({})
}, 600_000)

afterAll(async () => {
  await browser?.close()
})

interface Visit {
  /** Uncaught errors, unhandled rejections and console errors. */
  errors: string[]
  /** The text of each element waited for. */
  shown: Record<string, string>
  requests: ProxiedRequest[]
  pages: PageTrace[]
}

const SHOWN_IDS = ['server', 'script', 'dependency', 'island', 'vue']
/** What the page shows once its requests answered: the same with and without the plugin. */
const SHOWN = { server: '200', script: '200,200', dependency: 'dependency,dependency', island: '200,200,200', vue: '200,200' }
/** The app's requests on one visit of `/`, sorted: the browser's, and the server's own (`/api/inner`, `/api/from-endpoint`). */
const PAGE_REQUESTS = ['/api/dependency', '/api/from-endpoint', '/api/inner', '/api/island', '/api/relay', '/api/script', '/api/vue', '/other/dependency', '/other/island', '/other/script', '/other/vue']

/** Open `/` and wait until every element shows a result. */
async function visit(proxy: Proxy): Promise<Visit> {
  proxy.clear()
  const context = await browser!.newContext()
  const errors: string[] = []
  try {
    const page = await context.newPage()
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`))
    page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`))
    await page.goto(proxy.origin + '/', { timeout: PAGE_TIMEOUT_MS })
    await page
      .waitForFunction((wanted) => wanted.every((id) => !['', 'pending'].includes(document.getElementById(id)?.textContent ?? '')), SHOWN_IDS, { timeout: PAGE_TIMEOUT_MS })
      .catch((error: Error) => {
        throw new Error(`${SHOWN_IDS.join(', ')} not shown: ${error.message}\nerrors: ${errors.join('\n') || 'none'}`)
      })
    const shown: Record<string, string> = {}
    for (const id of SHOWN_IDS) shown[id] = (await page.textContent(`#${id}`, { timeout: PAGE_TIMEOUT_MS })) ?? ''
    // Every request the page makes has been answered once it shows its results; the server's own are recorded before it answers.
    return { errors, shown, requests: proxy.requests.slice(), pages: proxy.pages.slice() }
  } finally {
    await context.close()
  }
}


/** The app's requests, sorted. */
const appRequests = (run: Visit) => run.requests.map(pathOf).filter((path) => APP_REQUEST.test(path)).sort()


interface Served {
  port: number
  proxy: Proxy
  /** What the server printed so far. */
  output(): string
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
  return { port, proxy, output: () => output, stop }
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

/** The standalone server of the build in `output`. */
const serveBuild = (output: string) => serve((port) => app.start(`${output}/server/entry.mjs`, [], { ...ENV, PORT: String(port), HOST: '127.0.0.1' }))


/** The checks of a traced app, whichever server serves it. */
function tracedSuite(name: string, start: () => Promise<Served>, warmUp: boolean): void {
  describe(name, () => {
    let served: Served | undefined
    let run: Visit

    beforeAll(async () => {
      served = await start()
      // A dev server optimizes the dependencies it discovers on the first visit, and reloads the page.
      if (warmUp) await visit(served.proxy)
      run = await visit(served.proxy)
    }, 180_000)

    afterAll(async () => {
      await served?.stop()
    })

    it('loads and runs the page without an error', () => {
      expect(run.errors, served!.output()).toEqual([])
      expect(run.shown).toEqual(SHOWN)
      expect(appRequests(run)).toEqual(PAGE_REQUESTS)
    })

    it("a <script> block's fetch continues the page's trace; a request no target matches carries nothing", () => {
      const page = onlyPage(run, '/')
      expectPageTrace(only(run, '/api/script'), page)
      expectNoTrace(only(run, '/other/script'))
    })

    it("a Preact island's fetch (client:load) continues the page's trace", () => {
      const page = onlyPage(run, '/')
      expectPageTrace(only(run, '/api/island'), page)
      expectPageTrace(only(run, '/api/relay'), page)
      expectNoTrace(only(run, '/other/island'))
    })

    it("a Vue island's fetch (<script setup>, client:load) continues the page's trace", () => {
      const page = onlyPage(run, '/')
      expectPageTrace(only(run, '/api/vue'), page)
      expectNoTrace(only(run, '/other/vue'))
    })

    it("a dependency's fetch (ky, imported by the <script> block) continues the page's trace", () => {
      const page = onlyPage(run, '/')
      expectPageTrace(only(run, '/api/dependency'), page)
      expectNoTrace(only(run, '/other/dependency'))
    })

    it("the frontmatter's and the endpoint's own fetch run on the server, untraced", () => {
      expectFromServer(only(run, '/api/inner'))
      expectFromServer(only(run, '/api/from-endpoint'))
    })
  })
}

tracedSuite('astro build, served by the @astrojs/node standalone server', () => serveBuild('dist'), false)

tracedSuite('astro dev', () => serve((port) => app.start(ASTRO, ['dev', '--host', '127.0.0.1', '--port', String(port)], ENV)), true)

describe('the same app built without the plugin', () => {
  let served: Served | undefined
  let traced: Served | undefined
  let run: Visit

  beforeAll(async () => {
    served = await serveBuild('dist-plain')
    run = await visit(served.proxy)
  }, 90_000)

  afterAll(async () => {
    await served?.stop()
    await traced?.stop()
  })

  it('makes the same requests and shows the same, with no trace header on any', () => {
    expect(run.errors).toEqual([])
    expect(run.shown).toEqual(SHOWN)
    expect(appRequests(run)).toEqual(PAGE_REQUESTS)
    // Page requests included: the proxy records what the browser sent, before it adds the page's trace.
    for (const request of run.requests) expectNoTrace(request)
  })

  it('the server renders the same HTML with and without the plugin (but for the names of the client files)', async () => {
    traced = await serveBuild('dist')
    const [plain, withPlugin] = await Promise.all([get(served!.port, '/'), get(traced.port, '/')])
    expect(withPlugin.status).toBe(200)
    expect(plain.body).toContain('<p id="server">200</p>')
    expect(normalizeHtml(withPlugin.body)).toBe(normalizeHtml(plain.body))
  }, 90_000)
})

/** Client files are named by their content, which the plugin changes. */
function normalizeHtml(html: string): string {
  return html.replace(/\/_astro\/[\w.-]+\.(js|css)/g, '/_astro/*.$1')
}

describe('build output', () => {
  const read = (dir: string, files: string[]) => files.map((file) => ({ file: `${dir}/${file}`, text: readFileSync(join(app.dir, dir, file), 'utf8') }))
  const scripts = (dir: string) => read(dir, filesUnder(join(app.dir, dir)).filter((file) => /\.[cm]?js$/.test(file)))

  it('server code is left as written: no runtime, no rewritten call, in dist/server', () => {
    const server = scripts('dist/server')
    // What is searched holds the frontmatter's and the endpoint's own fetch, as written.
    expect(server.filter((script) => /fetch\(new URL\("\/api\/inner", Astro\.url\), \{/.test(script.text)).map((script) => script.file)).toHaveLength(1)
    expect(server.filter((script) => /fetch\(new URL\("\/api\/from-endpoint", url\), \{/.test(script.text)).map((script) => script.file)).toHaveLength(1)
    // The server's manifest lists the browser's files by URL (`/_astro/configured-runtime.<hash>.js`): names of client assets, not code.
    const code = server.map(({ file, text }) => ({ file, text: text.replace(/\/?_astro\/[\w.-]+\.js/g, '') }))
    const found = code.flatMap(({ file, text }) => RUNTIME_TRACES.filter((name) => text.includes(name)).map((name) => `${file}: ${name}`))
    expect(found).toEqual([])
  })

  it('the browser code carries the runtime only with the plugin', () => {
    const client = (output: string) => scripts(`${output}/client`).map((script) => script.text).join('\n')
    expect(client('dist')).toContain('sentry-trace')
    expect(client('dist-plain')).not.toContain('sentry-trace')
  })

  it('the report is at the project root and lists browser code only: the <script> block, the islands, the dependency', () => {
    expect(existsSync(join(app.dir, 'src', REPORT))).toBe(false)
    const report = JSON.parse(readFileSync(join(app.dir, REPORT), 'utf8')) as { sites: Array<{ file: string; line: number; column: number; url?: string; decision: string }> }
    const files = [...new Set(report.sites.map((site) => site.file))]
    for (const file of files) expect(existsSync(join(app.dir, file.replace(/\?.*/, ''))), `${file} is a file of the project`).toBe(true)
    expect(report.sites.filter((site) => site.file.startsWith('src/')).map(({ file, line, column, url, decision }) => ({ file, line, column, url, decision }))).toEqual(SRC_SITES)
    expect(files.filter((file) => file.startsWith('node_modules/ky/'))).not.toEqual([])
    // One summary line, for the client build.
    expect(logs.traced.match(/\[unplugin-sentry-trace\] \d+ call sites/g)).toHaveLength(1)
    expect(logs.plain).not.toContain('unplugin-sentry-trace')
  })
})

/** The app's call sites as the report places them: a `<script>` block's in the block as Astro's compiler reprints it (no source map back to the `.astro` file), under the module id Astro gives the block. */
const SRC_SITES = [
  { file: 'src/components/Island.tsx', line: 7, column: 17, url: '/api/island', decision: 'always' },
  { file: 'src/components/Island.tsx', line: 7, column: 39, url: '/other/island', decision: 'never' },
  { file: 'src/components/Island.tsx', line: 7, column: 63, url: '/api/relay', decision: 'always' },
  { file: 'src/components/VueIsland.vue', line: 7, column: 15, url: '/api/vue', decision: 'always' },
  { file: 'src/components/VueIsland.vue', line: 7, column: 34, url: '/other/vue', decision: 'never' },
  { file: 'src/pages/index.astro?astro&type=script&index=0&lang.ts', line: 5, column: 13, url: '/api/script', decision: 'always' },
  { file: 'src/pages/index.astro?astro&type=script&index=0&lang.ts', line: 5, column: 35, url: '/other/script', decision: 'never' },
]
