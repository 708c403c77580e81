/**
 * SvelteKit, for real: the app in `tests/frameworks/sveltekit/app` (current
 * `@sveltejs/kit` with `@sveltejs/adapter-node`, set up with the README's one line),
 * installed from its own lock and run under Node 24, which the framework needs.
 * Built with `vite build` and served by the adapter's server, and served by
 * `vite dev`, each behind a loopback proxy that starts a trace for every page
 * request (the app's `handle` hook renders it into the meta tags) and records
 * what reaches the server; Chromium drives the pages.
 *
 * SvelteKit's client saves `window.fetch` and then installs a wrapper on
 * `window.fetch` that calls the saved one: the page must load and run as written.
 * The browser's requests to `/api` continue the page's trace, the universal
 * `load`'s `fetch` included (it runs in the browser on a client-side navigation);
 * other requests carry nothing; server code (server `load`, `+server.ts`, SSR) is
 * left as written; and the same app built without the plugin sends no trace header.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import { filesUnder, installApp, type InstalledApp } from './helpers/app.js'
import type { Proxy } from './helpers/proxy.js'
import { pathOf, only, onlyPage, visit as visitWith, type Visit, expectPageTrace, expectNavigationTrace, expectNoTrace, expectFromServer, freePort, serve, type Served } from './helpers/visit.js'

const VITE = 'node_modules/vite/bin/vite.js'
/** How long a page may take to show what its requests returned. */
const PAGE_TIMEOUT_MS = 20_000
/** How long a server may take to answer its first request. */
const START_TIMEOUT_MS = 60_000
/** What a runtime bundled into server code would bring along: its helper names and its module's name. */
const RUNTIME_TRACES = ['configured-runtime', 'unplugin-sentry-trace', '__sentryTrace_', 'traceFetchFunction', 'untraceFetchFunction', 'tracedFetch', 'alwaysTracedFetch', 'traceFetchIn', 'traceFetchOn']
/** The app's requests, in the order the walk makes them. */
const APP_REQUESTS = ['/api/component', '/other/component', '/traced/__data.json', '/api/from-server', '/api/load', '/other/load', '/api/after-navigation']

let app: InstalledApp
let browser: Browser | undefined
const logs = { plain: '', traced: '' }

beforeAll(async () => {
  app = installApp('sveltekit', 24)
  // What the app's `prepare` script does after an install: the generated tsconfig and types.
  await app.run('node_modules/@sveltejs/kit/svelte-kit.js', ['sync'])
  // The same app with the plugin removed from its config.
  const config = readFileSync(join(app.dir, 'vite.config.ts'), 'utf8')
  const plain = config.replace(/^import sentryTrace .*\n/m, '').replace(/^\s*sentryTrace\(.*\),\n/m, '')
  expect(plain).not.toContain('sentryTrace')
  writeFileSync(join(app.dir, 'vite.plain.config.ts'), plain)
  logs.plain = await app.run(VITE, ['build', '--config', 'vite.plain.config.ts'])
  renameSync(join(app.dir, 'build'), join(app.dir, 'build-plain'))
  logs.traced = await app.run(VITE, ['build'])
  browser = await launchBrowser({})
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

/** Open `path` in the app behind `proxy` (helpers/visit.ts). */
const visit = (proxy: Proxy, path: string, waitFor: string[], click?: { link: string; waitFor: string[] }) =>
  visitWith({ browser: browser!, proxy, timeoutMs: PAGE_TIMEOUT_MS }, path, waitFor, click)


/** From `/` to `/traced` by its link: the universal load runs in the browser. */
const navigate = (proxy: Proxy) => visit(proxy, '/', ['component'], { link: 'to-traced', waitFor: ['load', 'server', 'after'] })
/** `/traced` as the first page: its universal load ran on the server. */
const direct = (proxy: Proxy) => visit(proxy, '/traced', ['load', 'server', 'after'])


/** The app's requests: the API and `/other` routes and the data request of a navigation. */
const appRequests = (run: Visit) => run.requests.map(pathOf).filter((path) => APP_REQUESTS.includes(path))


/** adapter-node's server for the build in `buildDir`, on a Unix socket, behind the proxy (which says the protocol). */
async function serveBuild(buildDir: string): Promise<Served> {
  const socketDir = mkdtempSync(join(tmpdir(), 'sveltekit-'))
  const socketPath = join(socketDir, 'app.sock')
  const served = await serve({ socketPath }, () => app.start(`${buildDir}/index.js`, [], { SOCKET_PATH: socketPath, PROTOCOL_HEADER: 'x-forwarded-proto' }), START_TIMEOUT_MS)
  return {
    proxy: served.proxy,
    async stop() {
      await served.stop()
      rmSync(socketDir, { recursive: true, force: true })
    },
  }
}


/** What every visit with the plugin shows: the requests' statuses, on the page they ended on. */
const SHOWN_NAVIGATE = { component: '200,200', load: '200 load,200 load', server: '200', after: '200', url: '/traced' }
const SHOWN_DIRECT = { load: '200 load,200 load', server: '200', after: '200', url: '/traced' }

/** The checks of a traced app, whichever server serves it. */
function tracedSuite(name: string, start: () => Promise<Served>, warmUp: boolean): void {
  describe(name, () => {
    let served: Served | undefined
    let navigated: Visit
    let directly: Visit

    beforeAll(async () => {
      served = await start()
      // A dev server optimizes the dependencies it discovers on the first visit, and reloads the page.
      if (warmUp) {
        await navigate(served.proxy)
        await direct(served.proxy)
      }
      navigated = await navigate(served.proxy)
      directly = await direct(served.proxy)
    }, 120_000)

    afterAll(async () => {
      await served?.stop()
    })

    it('loads and runs the pages without an error (SvelteKit saves window.fetch, then wraps it)', () => {
      expect(navigated.errors).toEqual([])
      expect(navigated.shown).toEqual(SHOWN_NAVIGATE)
      expect(directly.errors).toEqual([])
      expect(directly.shown).toEqual(SHOWN_DIRECT)
    })

    it("the component's fetch continues the page's trace; a request no target matches carries nothing", () => {
      const page = onlyPage(navigated, '/')
      expectPageTrace(only(navigated, '/api/component'), page)
      expectNoTrace(only(navigated, '/other/component'))
    })

    it("on a client-side navigation the universal load runs in the browser: its fetch continues the page's trace", () => {
      const page = onlyPage(navigated, '/')
      expectPageTrace(only(navigated, '/api/load'), page)
      expectNoTrace(only(navigated, '/other/load'))
      // SvelteKit's own data request matches no target.
      expectNoTrace(only(navigated, '/traced/__data.json'))
      // The server load's fetch, on the server.
      expectFromServer(only(navigated, '/api/from-server'))
    })

    it('after the navigation the page has a new trace, as the Sentry SDK starts one', () => {
      expectNavigationTrace(only(navigated, '/api/after-navigation'), onlyPage(navigated, '/'))
    })

    it('on a direct load the universal load ran on the server; the hydrated page continues the trace', () => {
      const page = onlyPage(directly, '/traced')
      expect(appRequests(directly)).toEqual(['/api/from-server', '/api/after-navigation'])
      expectFromServer(only(directly, '/api/from-server'))
      expectPageTrace(only(directly, '/api/after-navigation'), page)
    })
  })
}

tracedSuite('vite build, served by adapter-node', () => serveBuild('build'), false)

tracedSuite(
  'vite dev',
  async () => {
    const port = await freePort()
    return serve({ port }, () => app.start(VITE, ['dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort']), START_TIMEOUT_MS)
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
  }, 60_000)

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
  const read = (dir: string, files: string[]) => files.map((file) => ({ file, text: readFileSync(join(app.dir, dir, file), 'utf8') }))
  const scripts = (dir: string) => read(dir, filesUnder(join(app.dir, dir)).filter((file) => /\.[cm]?js$/.test(file)))

  it('server code is left as written: no runtime, no rewritten call, in the SSR build and in the adapter output', () => {
    const server = [
      ...scripts('.svelte-kit/output/server').map((script) => ({ ...script, file: `.svelte-kit/output/server/${script.file}` })),
      ...scripts('build').filter((script) => !script.file.startsWith('client/')).map((script) => ({ ...script, file: `build/${script.file}` })),
    ]
    // What is searched holds the server load's own fetch, as written.
    expect(server.filter((script) => script.text.includes('fetch(new URL("/api/from-server", url))')).map((script) => script.file)).not.toEqual([])
    const found = server.flatMap(({ file, text }) => RUNTIME_TRACES.filter((name) => text.includes(name)).map((name) => `${file}: ${name}`))
    expect(found).toEqual([])
  })

  it('the browser code carries the runtime only with the plugin', () => {
    const client = (build: string) => scripts(`${build}/client`).map((script) => script.text).join('\n')
    expect(client('build')).toContain('sentry-trace')
    expect(client('build-plain')).not.toContain('sentry-trace')
  })

  it('the report lists browser code only, with paths relative to the project root', () => {
    const report = JSON.parse(readFileSync(join(app.dir, 'sentry-trace-report.json'), 'utf8')) as { sites: Array<{ file: string; url?: string; decision: string }> }
    const files = [...new Set(report.sites.map((site) => site.file))]
    for (const file of files) expect(existsSync(join(app.dir, file)), `${file} is a file of the project`).toBe(true)
    expect(files).toContain('src/routes/traced/+page.ts')
    expect(files).toContain('node_modules/@sveltejs/kit/src/runtime/client/fetcher.js')
    expect(files.filter((file) => /(?:\.server\.|\+server\.|hooks\.server)/.test(file) || file.includes('/server/'))).toEqual([])
    expect(report.sites.filter((site) => site.file === 'src/routes/traced/+page.ts').map(({ url, decision }) => ({ url, decision }))).toEqual([
      { url: '/api/load', decision: 'always' },
      { url: '/other/load', decision: 'never' },
    ])
    // One summary line, for the browser build.
    expect(logs.traced.match(/\[unplugin-sentry-trace\] \d+ call sites/g)).toHaveLength(1)
  })

  it("the report lists the components' call sites too: they ship to the browser", () => {
    const report = JSON.parse(readFileSync(join(app.dir, 'sentry-trace-report.json'), 'utf8')) as { sites: Array<{ file: string; url?: string }> }
    expect(report.sites.filter((site) => site.file.endsWith('.svelte')).map(({ file, url }) => ({ file, url }))).toEqual([
      { file: 'src/routes/+page.svelte', url: '/api/component' },
      { file: 'src/routes/+page.svelte', url: '/other/component' },
      { file: 'src/routes/traced/+page.svelte', url: '/api/after-navigation' },
    ])
  })

  it('SvelteKit has nothing to warn about the plugin', () => {
    expect(logs.traced).not.toMatch(/may not work correctly[\s\S]{0,80}unplugin-sentry-trace/)
  })
})
