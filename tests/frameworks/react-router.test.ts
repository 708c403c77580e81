/**
 * React Router, for real: the app in `tests/frameworks/react-router/app` (React Router 8.4
 * in framework mode, `@react-router/dev`'s Vite plugin, SSR; written by hand as the
 * scaffolder downloads its templates), set up with the README's one line, installed from
 * its own lock and run under Node 24, which React Router needs. Built with
 * `react-router build` and served by `react-router-serve`, and served by
 * `react-router dev`, each behind a loopback proxy that starts a trace for every page
 * request (the root route's `loader` hands the request's headers to `Layout`, which
 * renders the meta tags) and records what reaches the server; Chromium drives the pages.
 *
 * The browser's requests to `/api` carry the page's trace as the Sentry SDK would
 * (docs/trace-lifetime.md): a component's `fetch` and a `clientLoader`'s `fetch` on a
 * client-side navigation continue the page's trace (React Router runs the loaders before
 * it changes the URL), a component's `fetch` once the URL changed has a new trace; other
 * requests carry nothing; the server
 * `loader`'s fetch leaves the server untraced and the server build holds no runtime; the
 * same app built without the plugin sends no trace header; the report names each call
 * site of a route module once, under its file, though React Router builds the file under
 * several ids, and leaves out the `loader`'s, which React Router takes out of the client
 * build after the plugin rewrote the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import { filesUnder, installApp, type InstalledApp } from './helpers/app.js'
import type { Proxy } from './helpers/proxy.js'
import { pathOf, only, onlyPage, visit as visitWith, type Visit, expectPageTrace, expectNavigationTrace, expectNoTrace, expectFromServer, freePort, serve, type Served } from './helpers/visit.js'

const REACT_ROUTER = 'node_modules/@react-router/dev/bin.cjs'
const SERVE = 'node_modules/@react-router/serve/bin.cjs'
/** How long a page may take to show what its requests returned. */
const PAGE_TIMEOUT_MS = 20_000
/** How long a server may take to answer its first request. */
const START_TIMEOUT_MS = 60_000
/** What a runtime bundled into server code would bring along: its marker, helper names and its module's name. */
const RUNTIME_TRACES = ['unplugin-sentry-trace runtime', 'configured-runtime', 'unplugin-sentry-trace', '__sentryTrace_', 'traceFetchFunction', 'untraceFetchFunction', 'tracedFetch', 'alwaysTracedFetch', 'traceFetchIn', 'traceFetchOn']
/** The app's requests on the walk from `/` to `/traced`: React Router's data requests included, one for the root loader, one for the clientLoader's `serverLoader()`. */
const APP_REQUESTS = ['/api/component', '/other/component', '/traced.data', '/traced.data', '/api/from-server', '/api/load', '/other/load', '/api/after-navigation']
const REPORT = 'sentry-trace-report.json'

let app: InstalledApp
let browser: Browser | undefined
const logs = { plain: '', traced: '' }

beforeAll(async () => {
  app = installApp('react-router', 24)
  // The same app with the plugin taken out of its config, built first, into its own
  // folder (the server build serves the client files from the folder it was built for).
  const configFile = join(app.dir, 'vite.config.ts')
  const config = readFileSync(configFile, 'utf8')
  const plain = config.replace(/^import sentryTrace .*\n/m, '').replace(/sentryTrace\(.*?\), /, '')
  expect(plain).not.toContain('sentryTrace')
  writeFileSync(configFile, plain)
  const routerConfigFile = join(app.dir, 'react-router.config.ts')
  const routerConfig = readFileSync(routerConfigFile, 'utf8')
  writeFileSync(routerConfigFile, routerConfig.replace('ssr: true,', "ssr: true,\n  buildDirectory: 'build-plain',"))
  expect(readFileSync(routerConfigFile, 'utf8')).toContain('build-plain')
  logs.plain = await app.run(REACT_ROUTER, ['build'], { timeoutMs: 180_000 })
  writeFileSync(routerConfigFile, routerConfig)
  // The traced build writes the report.
  writeFileSync(configFile, config.replace('tracePropagationTargets: [/^\\/api/]', `tracePropagationTargets: [/^\\/api/], report: '${REPORT}'`))
  expect(readFileSync(configFile, 'utf8')).toContain(REPORT)
  logs.traced = await app.run(REACT_ROUTER, ['build'], { timeoutMs: 180_000 })
  browser = await launchBrowser({})
}, 600_000)

afterAll(async () => {
  await browser?.close()
})

/** Open `path` in the app behind `proxy` (helpers/visit.ts). */
const visit = (proxy: Proxy, path: string, waitFor: string[], click?: { link: string; waitFor: string[] }) =>
  visitWith({ browser: browser!, proxy, timeoutMs: PAGE_TIMEOUT_MS }, path, waitFor, click)


/** From `/` to `/traced` by its link: the clientLoader runs in the browser. */
const navigate = (proxy: Proxy) => visit(proxy, '/', ['component'], { link: 'to-traced', waitFor: ['load', 'server', 'after'] })
/** `/traced` as the first page: only the server loader ran. */
const direct = (proxy: Proxy) => visit(proxy, '/traced', ['load', 'server', 'after'])


/** The app's requests: the API and `/other` routes and the data request of a navigation. */
const appRequests = (run: Visit) => run.requests.map(pathOf).filter((path) => APP_REQUESTS.includes(path))


/** `react-router-serve` for the server build in `buildDir`, on a free port. */
async function serveBuild(buildDir: string): Promise<Served> {
  const port = await freePort()
  return serve({ port }, () => app.start(SERVE, [`${buildDir}/server/index.js`], { PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' }), START_TIMEOUT_MS)
}

/** What every visit shows: the requests' statuses, on the page it ended on. */
const SHOWN_NAVIGATE = { component: '200,200', load: '200,200', server: '200', after: '200', url: '/traced' }
const SHOWN_DIRECT = { load: 'not run', server: '200', after: '200', url: '/traced' }

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
      expect([...appRequests(navigated)].sort()).toEqual([...APP_REQUESTS].sort())
    })

    it("a component's fetch continues the page's trace; a request no target matches carries nothing", () => {
      const page = onlyPage(navigated, '/')
      expectPageTrace(only(navigated, '/api/component'), page)
      expectNoTrace(only(navigated, '/other/component'))
    })

    it("on a client-side navigation the clientLoader's fetch continues the page's trace: React Router changes the URL after its loaders, where the Sentry SDK starts a new trace", () => {
      const page = onlyPage(navigated, '/')
      expectPageTrace(only(navigated, '/api/load'), page)
      expectNoTrace(only(navigated, '/other/load'))
      // React Router's own data requests match no target.
      const data = navigated.requests.filter((request) => pathOf(request) === '/traced.data')
      expect(data).toHaveLength(2)
      for (const request of data) expectNoTrace(request)
      // The server loader's fetch, on the server.
      expectFromServer(only(navigated, '/api/from-server'))
    })

    it('once the navigation changed the URL the page has a new trace, as the Sentry SDK starts one', () => {
      expectNavigationTrace(only(navigated, '/api/after-navigation'), onlyPage(navigated, '/'))
    })

    it('on a direct load only the server loader ran; the hydrated page continues the trace', () => {
      const page = onlyPage(directly, '/traced')
      expect(appRequests(directly)).toEqual(['/api/from-server', '/api/after-navigation'])
      expectFromServer(only(directly, '/api/from-server'))
      expectPageTrace(only(directly, '/api/after-navigation'), page)
    })
  })
}

tracedSuite('react-router build, served by react-router-serve', () => serveBuild('build'), false)

tracedSuite(
  'react-router dev',
  async () => {
    const port = await freePort()
    return serve({ port }, () => app.start(REACT_ROUTER, ['dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort']), START_TIMEOUT_MS)
  },
  true,
)

describe('the same app built without the plugin', () => {
  let served: Served | undefined
  let navigated: Visit
  let directly: Visit

  beforeAll(async () => {
    served = await serveBuild('build-plain')
    navigated = await navigate(served.proxy)
    directly = await direct(served.proxy)
  }, 90_000)

  afterAll(async () => {
    await served?.stop()
  })

  it('makes the same requests and shows the same, with no trace header on any', () => {
    expect(navigated.errors).toEqual([])
    expect(navigated.shown).toEqual(SHOWN_NAVIGATE)
    expect(directly.shown).toEqual(SHOWN_DIRECT)
    expect([...appRequests(navigated)].sort()).toEqual([...APP_REQUESTS].sort())
    // Page requests included: the proxy records what the browser sent, before it adds the page's trace.
    for (const request of [...navigated.requests, ...directly.requests]) expectNoTrace(request)
  })
})

describe('build output', () => {
  const read = (dir: string, files: string[]) => files.map((file) => ({ file: `${dir}/${file}`, text: readFileSync(join(app.dir, dir, file), 'utf8') }))
  const scripts = (dir: string) => read(dir, filesUnder(join(app.dir, dir)).filter((file) => /\.[cm]?js$/.test(file)))

  it('the server build is left as written: no runtime, no rewritten call', () => {
    const server = scripts('build/server')
    // What is searched holds the server loader's own fetch, as written.
    expect(server.filter((script) => /fetch\(new URL\("\/api\/from-server", request\.url\)\)/.test(script.text)).map((script) => script.file)).not.toEqual([])
    // The server build names the client's files (its manifest): `configured-runtime-<hash>.js` is one.
    const code = (text: string) => text.replace(/"\/assets\/[\w.-]+\.js"/g, '""')
    const found = server.flatMap(({ file, text }) => RUNTIME_TRACES.filter((name) => code(text).includes(name)).map((name) => `${file}: ${name}`))
    expect(found).toEqual([])
  })

  it('the browser code carries the runtime only with the plugin', () => {
    const client = (build: string) => scripts(`${build}/client`).map((script) => script.text).join('\n')
    // The baggage entry the runtime writes for a trace it starts (the app's root names the meta tags in both).
    expect(client('build')).toContain('sentry-trace_id=')
    expect(client('build-plain')).not.toContain('sentry-trace_id=')
  })

  it("the report names each route module's call sites once, under the file, without the server loader's, with paths relative to the project root", () => {
    const report = JSON.parse(readFileSync(join(app.dir, REPORT), 'utf8')) as { sites: Array<{ file: string; line: number; column: number; url?: string; decision: string }> }
    const files = [...new Set(report.sites.map((site) => site.file))]
    for (const file of files) expect(existsSync(join(app.dir, file)), `${file} is a file of the project`).toBe(true)
    const routes = report.sites.filter((site) => site.file.startsWith('app/')).map(({ file, line, url, decision }) => ({ file, line, url, decision }))
    // Each call once, under the file (React Router builds traced.tsx as `?route-chunk=main` and
    // `?route-chunk=clientLoader`), and not the server loader's fetch at line 6: React Router
    // takes `loader` out of the client build after the plugin rewrote the file.
    expect(routes).toEqual([
      { file: 'app/routes/home.tsx', line: 7, url: '/api/component', decision: 'always' },
      { file: 'app/routes/home.tsx', line: 7, url: '/other/component', decision: 'never' },
      { file: 'app/routes/traced.tsx', line: 12, url: '/api/load', decision: 'always' },
      { file: 'app/routes/traced.tsx', line: 12, url: '/other/load', decision: 'never' },
      { file: 'app/routes/traced.tsx', line: 20, url: '/api/after-navigation', decision: 'always' },
    ])
    // One summary line, for the client build, counting what the report lists.
    expect(logs.traced.match(/\[unplugin-sentry-trace\] \d+ call sites/g)).toEqual([`[unplugin-sentry-trace] ${report.sites.length} call sites`])
    expect(logs.plain).not.toContain('unplugin-sentry-trace')
  })
})
