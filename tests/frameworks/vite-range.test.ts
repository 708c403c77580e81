/**
 * The Vite majors the package supports (its `vite` peer range: 5 to 8), for real:
 * one small app (`tests/frameworks/vite-range/sources`: `index.html`, `src/main.js`,
 * the README's one plugin line in `vite.config.js`, and a backend in the config
 * that renders the page's trace into its meta tags), installed from the lock of
 * `tests/frameworks/vite<major>/app`. Built with `vite build` and served by `vite
 * preview`, and served by `vite dev`, each behind a loopback proxy that starts a
 * trace for every page request and records what reaches the server; Chromium
 * drives the page.
 *
 * The page makes its own requests (fetch, XMLHttpRequest, axios) and requests made
 * inside dependencies (ky's fetch, an ES module; superagent's XMLHttpRequest,
 * CommonJS). In dev, dependencies are pre-bundled by Vite's optimizer (esbuild up
 * to Vite 7, Rolldown from 8), without the app's transform hooks: their requests
 * carry the trace only if the plugin reached them there.
 */
import type { ChildProcess } from 'node:child_process'
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import { installApp, REPO_ROOT, type InstalledApp } from './helpers/app.js'
import { PAGE_ENVIRONMENT, startProxy, type PageTrace, type ProxiedRequest, type Proxy } from './helpers/proxy.js'
import { headerValues, only, expectNoTrace, freePort } from './helpers/visit.js'

const VITE = 'node_modules/vite/bin/vite.js'
const SOURCES = join(REPO_ROOT, 'tests/frameworks/vite-range/sources')
/** Every major of the peer range (5 to 7 pre-bundle with esbuild, 8 with Rolldown). */
const MAJORS = [5, 6, 7, 8]
/** How long a page may take to show what its requests returned. */
const PAGE_TIMEOUT_MS = 20_000
/** How long a server may take to answer its first request. */
const START_TIMEOUT_MS = 60_000

/** The page's requests that match `tracePropagationTargets` (`/^\/api/`), by who makes them. */
const TRACED = ['/api/app-fetch', '/api/app-xhr', '/api/app-axios', '/api/dependency-ky', '/api/dependency-superagent']
const UNTRACED = ['/other/app-fetch']
/** What the page shows once every request answered: their statuses, in its order. */
const SHOWN = '200,200,200,200,200,200'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser({})
})

afterAll(async () => {
  await browser?.close()
})

interface Visit {
  errors: string[]
  shown: string
  requests: ProxiedRequest[]
  pages: PageTrace[]
}

/** Open the page and wait (bounded) until it shows the statuses of its requests. */
async function visit(proxy: Proxy): Promise<Visit> {
  proxy.clear()
  const context = await browser.newContext()
  const errors: string[] = []
  try {
    const page = await context.newPage()
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`))
    page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`))
    await page.goto(`${proxy.origin}/`, { timeout: PAGE_TIMEOUT_MS })
    await page
      .waitForFunction(() => document.getElementById('statuses')?.textContent !== 'pending', undefined, { timeout: PAGE_TIMEOUT_MS })
      .catch((error: Error) => {
        throw new Error(`the page showed nothing: ${error.message}\nerrors: ${errors.join('\n') || 'none'}`)
      })
    const shown = (await page.textContent('#statuses', { timeout: PAGE_TIMEOUT_MS })) ?? ''
    return { errors, shown, requests: proxy.requests.slice(), pages: proxy.pages.slice() }
  } finally {
    await context.close()
  }
}


/** Exactly one `sentry-trace` and one `baggage`, continuing the page's trace. */
function expectPageTrace(request: ProxiedRequest, page: PageTrace): void {
  const traces = headerValues(request, 'sentry-trace')
  expect(traces, `sentry-trace of ${request.url}`).toHaveLength(1)
  const [traceId, spanId, sampled] = traces[0]!.split('-')
  expect({ traceId, sampled }, request.url).toEqual({ traceId: page.traceId, sampled: '1' })
  expect(spanId, request.url).toMatch(/^[0-9a-f]{16}$/)
  expect(spanId, 'the server span is not sent on').not.toBe(page.parentSpanId)
  const baggage = headerValues(request, 'baggage')
  expect(baggage, `baggage of ${request.url}`).toHaveLength(1)
  expect(baggage[0]!.split(','), request.url).toEqual(expect.arrayContaining([`sentry-trace_id=${page.traceId}`, `sentry-environment=${PAGE_ENVIRONMENT}`]))
}


/** The page ran, showed every status, and its requests carried the page's trace exactly where they match. */
function expectTracedVisit(run: Visit): void {
  expect(run.errors).toEqual([])
  expect(run.shown).toBe(SHOWN)
  expect(run.pages.map((page) => page.url)).toEqual(['/'])
  for (const path of TRACED) expectPageTrace(only(run, path), run.pages[0]!)
  for (const path of UNTRACED) expectNoTrace(only(run, path))
}

interface Served {
  proxy: Proxy
  stop(): Promise<void>
}

/** Start a Vite server of the app on a free port, behind the proxy; ready once `/api/ready` answers. */
async function serve(app: InstalledApp, args: string[]): Promise<Served> {
  const port = await freePort()
  const proxy = await startProxy({ port })
  const child: ChildProcess = app.start(VITE, [...args, '--host', '127.0.0.1', '--port', String(port), '--strictPort'])
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
      throw new Error(`vite ${args.join(' ')} ended before it answered:\n${output}`)
    }
    if (await answers(port)) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`vite ${args.join(' ')} did not answer within ${START_TIMEOUT_MS} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return { proxy, stop }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ host: '127.0.0.1', port, path: '/api/ready', timeout: 2_000 }, (response) => {
      response.resume()
      resolve(response.statusCode === 200)
    })
    probe.on('error', () => resolve(false))
    probe.on('timeout', () => probe.destroy())
    probe.end()
  })
}


describe.each(MAJORS)('Vite %i', (major) => {
  let app: InstalledApp
  let buildLog = ''

  beforeAll(async () => {
    app = installApp(`vite${major}`, 20)
    cpSync(SOURCES, app.dir, { recursive: true })
    const installed = JSON.parse(readFileSync(join(app.dir, 'node_modules/vite/package.json'), 'utf8')) as { version: string }
    expect(installed.version.split('.')[0]).toBe(String(major))
    // The same app with the plugin line removed from its config.
    const config = readFileSync(join(app.dir, 'vite.config.js'), 'utf8')
    const plain = config.replace(/^import sentryTrace .*\n/m, '').replace(/^\s*sentryTrace\(.*\),\n/m, '')
    expect(plain).not.toContain('sentryTrace')
    writeFileSync(join(app.dir, 'vite.plain.config.js'), plain)
    await app.run(VITE, ['build', '--config', 'vite.plain.config.js', '--outDir', 'dist-plain'])
    buildLog = await app.run(VITE, ['build'])
  }, 300_000)

  describe('vite build, served by vite preview', () => {
    let served: Served | undefined
    let run: Visit

    beforeAll(async () => {
      served = await serve(app, ['preview'])
      run = await visit(served.proxy)
    }, 120_000)

    afterAll(async () => {
      await served?.stop()
    })

    it("the app's and its dependencies' requests continue the page's trace; /other carries nothing", () => {
      expectTracedVisit(run)
    })

    it('the report lists the sites of the app and of the dependencies that make its requests', () => {
      expect(buildLog).toMatch(/\[unplugin-sentry-trace\] \d+ call sites/)
      const report = JSON.parse(readFileSync(join(app.dir, 'sentry-trace-report.json'), 'utf8')) as { sites: Array<{ file: string; url?: string; decision: string }> }
      const files = new Set(report.sites.map((site) => site.file))
      for (const file of files) expect(existsSync(join(app.dir, file)), `${file} is a file of the project`).toBe(true)
      expect(report.sites.filter((site) => site.file === 'src/main.js' && site.url).map(({ url, decision }) => ({ url, decision }))).toEqual([
        { url: '/api/app-fetch', decision: 'always' },
        { url: '/api/app-axios', decision: 'runtime' },
        { url: '/other/app-fetch', decision: 'never' },
      ])
      expect([...files].filter((file) => /^node_modules\/(?:ky|superagent)\//.test(file))).toEqual(expect.arrayContaining(['node_modules/ky/distribution/core/Ky.js', 'node_modules/superagent/lib/client.js']))
    })
  })

  describe('vite build --ssr', () => {
    let log = ''

    beforeAll(async () => {
      log = await app.run(VITE, ['build', '--ssr', 'src/main.js', '--outDir', 'dist-ssr'])
    }, 120_000)

    it('is left as written, and neither sums up nor reports (the browser build\'s report stays)', () => {
      const code = readFileSync(join(app.dir, 'dist-ssr/main.js'), 'utf8')
      expect(code).toMatch(/\bfetch\(["']\/api\/app-fetch["']\)/)
      expect(code).not.toMatch(/configured-runtime|__sentryTrace_|tracedFetch/)
      expect(log).not.toContain('unplugin-sentry-trace')
      const report = JSON.parse(readFileSync(join(app.dir, 'sentry-trace-report.json'), 'utf8')) as { sites: unknown[] }
      expect(report.sites.length).toBeGreaterThan(0)
    })
  })

  describe('vite dev', () => {
    let served: Served | undefined
    let run: Visit

    beforeAll(async () => {
      served = await serve(app, [])
      // The first visit lets the optimizer finish (it may reload the page).
      await visit(served.proxy)
      run = await visit(served.proxy)
    }, 180_000)

    afterAll(async () => {
      await served?.stop()
    })

    it("the same: the pre-bundled dependencies' requests continue the page's trace too", () => {
      expectTracedVisit(run)
    })

    it('the pre-bundle imports the one runtime module the app imports (a CommonJS dependency too)', () => {
      const deps = join(app.dir, 'node_modules/.vite/deps')
      const bundled = (name: string) => readFileSync(join(deps, readdirSync(deps).find((file) => file === `${name}.js`)!), 'utf8')
      for (const name of ['ky', 'superagent']) {
        const code = bundled(name)
        expect(code, name).toContain('"unplugin-sentry-trace/configured-runtime"')
        expect(code, name).not.toMatch(/require\(\s*"unplugin-sentry-trace\/configured-runtime"\s*\)/)
      }
    })
  })

  describe('the same app built without the plugin', () => {
    let served: Served | undefined
    let run: Visit

    beforeAll(async () => {
      served = await serve(app, ['preview', '--outDir', 'dist-plain'])
      run = await visit(served.proxy)
    }, 120_000)

    afterAll(async () => {
      await served?.stop()
    })

    it('makes the same requests and shows the same, with no trace header on any', () => {
      expect(run.errors).toEqual([])
      expect(run.shown).toBe(SHOWN)
      for (const path of [...TRACED, ...UNTRACED]) only(run, path)
      for (const request of run.requests) expectNoTrace(request)
    })
  })
})
