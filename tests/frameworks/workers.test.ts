/**
 * Web workers: a page that starts a module worker (`new Worker(new URL('./worker.js',
 * import.meta.url), { type: 'module' })`, the form Vite and webpack build from the app),
 * whose code fetches a matching and a non-matching URL. Built with `vite build`, served
 * by Vite's dev server and built with webpack 5, each with the plugin configured as the
 * README says (no worker option), and run in Chromium against a loopback server that
 * hands out the trace meta tags and records every request (Rspack too): the worker's request
 * continues the page's trace, and what the worker's code sees (its messages, its
 * location but for the fragment, its module URL's path) is what it sees in the same
 * app built without the plugin.
 */

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { build, createServer, type InlineConfig } from 'vite'
import { rspack, type RspackOptions } from '@rspack/core'
import webpack, { type Configuration } from 'webpack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import type { Report } from '../../plugin/report.js'
import sentryTraceVite from '../../plugin/vite.js'
// Built (`npm run build`): webpack and Rspack load the runtime they resolve as JavaScript.
import sentryTraceRspack from '../../dist/plugin/rspack.js'
import sentryTraceWebpack from '../../dist/plugin/webpack.js'
import { META_BAGGAGE, PARENT_SPAN_ID, TRACE_ID } from '../bundlers/helpers/page.js'
import { REPO_ROOT } from '../bundlers/helpers/paths.js'
import { startRecordServer, type RecordServer, type RecordedRequest } from '../helpers/record-server.js'

const WORK = join(REPO_ROOT, 'tests/.tmp/workers')
const REPORT = 'sentry-trace-report.json'
/** How long a page may take until its worker answers. */
const PAGE_TIMEOUT_MS = 15_000
const META_TAGS = `<meta name="sentry-trace" content="${TRACE_ID}-${PARENT_SPAN_ID}-1"><meta name="baggage" content="${META_BAGGAGE}">`
const OPTIONS = { tracePropagationTargets: [/^\/api/], report: REPORT }

const FILES: Record<string, string> = {
  // The app's own: the plugin looks for a Sentry SDK in the nearest package.json.
  'package.json': '{ "private": true, "type": "module" }\n',
  'index.html': `<!doctype html>
<html>
  <head><title>workers</title></head>
  <body>
    <script type="module" src="/src/main.js"></script>
  </body>
</html>
`,
  'src/main.js': `fetch('/api/page')
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
worker.onmessage = (event) => {
  document.body.dataset.result = JSON.stringify(event.data)
}
worker.onerror = (event) => {
  document.body.dataset.result = JSON.stringify({ error: event.message || 'worker error' })
}
worker.postMessage('ping')
`,
  'src/worker.js': `self.onmessage = async (event) => {
  const api = await fetch('/api/worker')
  const other = await fetch('/other/worker')
  self.postMessage({
    got: event.data,
    statuses: [api.status, other.status],
    name: self.name,
    pathname: self.location.pathname,
    search: self.location.search,
    moduleDirectory: new URL(import.meta.url).pathname.replace(/[^/]*$/, ''),
    hash: self.location.hash,
    moduleHash: new URL(import.meta.url).hash,
  })
}
`,
}

interface WorkerResult {
  got: string
  statuses: number[]
  name: string
  pathname: string
  search: string
  moduleDirectory: string
  hash: string
  moduleHash: string
}

async function writeApp(name: string): Promise<string> {
  const root = join(WORK, name)
  await rm(root, { recursive: true, force: true })
  for (const [file, source] of Object.entries(FILES)) {
    await mkdir(join(root, file, '..'), { recursive: true })
    await writeFile(join(root, file), source)
  }
  return root
}

let server: RecordServer
let serving: string | undefined
let browser: Browser

beforeAll(async () => {
  server = await startRecordServer({
    respond(request, response) {
      const path = request.url.split('?')[0]!
      if (/^\/(?:api|other)\//.test(path) || !serving) return false
      const file = join(serving, path === '/' ? 'index.html' : path)
      readFile(file).then(
        (content) => {
          const html = file.endsWith('.html')
          response.writeHead(200, { 'Content-Type': html ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' })
          response.end(html ? content.toString('utf8').replace('<head>', `<head>${META_TAGS}`) : content)
        },
        () => response.writeHead(404).end(),
      )
      return true
    },
  })
  browser = await launchBrowser({ 'app.test': Number(new URL(server.origin).port) })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await rm(WORK, { recursive: true, force: true })
})

/** Opens `url`, waits (bounded) for the worker's answer and its requests; returns both. */
async function runPage(url: string): Promise<{ result: WorkerResult; requests: RecordedRequest[] }> {
  server.requests.length = 0
  const appRequests = () => server.received().filter((request) => /^\/(?:api|other)\//.test(request.url))
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  try {
    await page.goto(url, { timeout: PAGE_TIMEOUT_MS })
    await page.waitForSelector('body[data-result]', { state: 'attached', timeout: PAGE_TIMEOUT_MS })
    const result = JSON.parse((await page.getAttribute('body', 'data-result'))!) as WorkerResult
    const deadline = Date.now() + PAGE_TIMEOUT_MS
    while (appRequests().length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(errors, 'errors on the page').toEqual([])
    return { result, requests: appRequests() }
  } finally {
    await page.close()
  }
}

function only(requests: RecordedRequest[], path: string): RecordedRequest {
  const matching = requests.filter((request) => request.url === path)
  expect(matching, path).toHaveLength(1)
  return matching[0]!
}

/** The worker's /api request continues the page's trace, with the page's baggage; its /other request carries nothing. */
function expectWorkerTraced(requests: RecordedRequest[]): void {
  const page = only(requests, '/api/page')
  const worker = only(requests, '/api/worker')
  const traceHeader = new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`)
  expect(page.headers['sentry-trace']).toMatch(traceHeader)
  expect(worker.headers['sentry-trace']).toMatch(traceHeader)
  expect(worker.headers.baggage).toContain(`sentry-trace_id=${TRACE_ID}`)
  expect(worker.headers.baggage).toBe(page.headers.baggage)
  const other = only(requests, '/other/worker')
  expect(other.headers['sentry-trace']).toBeUndefined()
  expect(other.headers.baggage).toBeUndefined()
}

/**
 * What the worker's code saw, but for the fragment (documented: it holds the hand-off)
 * and the content hash in a built file's name (the worker's code is rewritten).
 */
function withoutHash({ hash: _hash, moduleHash: _moduleHash, pathname, ...rest }: WorkerResult): Omit<WorkerResult, 'hash' | 'moduleHash'> {
  return { ...rest, pathname: pathname.replace(/-[\w-]{8}\.js$/, '-[hash].js') }
}

function expectHandOffInFragment(result: WorkerResult): void {
  const handedOver = new URLSearchParams(result.hash.slice(1))
  expect(handedOver.get('sentry-trace')).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`))
  expect(handedOver.get('baggage')).toContain(`sentry-trace_id=${TRACE_ID}`)
}

function readReport(root: string): Promise<Report> {
  return readFile(join(root, REPORT), 'utf8').then((text) => JSON.parse(text) as Report)
}

/** The report lists the worker site in the page and the worker's own requests. */
function expectWorkerSites(report: Report): void {
  const sites = report.sites.map(({ file, line, kind, decision }) => ({ file, line, kind, decision }))
  expect(sites).toEqual(
    expect.arrayContaining([
      { file: 'src/main.js', line: 1, kind: 'fetch', decision: 'always' },
      { file: 'src/main.js', line: 2, kind: 'worker', decision: 'always' },
      { file: 'src/worker.js', line: 2, kind: 'fetch', decision: 'always' },
      { file: 'src/worker.js', line: 3, kind: 'fetch', decision: 'never' },
    ]),
  )
  expect(report.summary.sites).toBe(4)
}

describe('Vite', () => {
  let root: string
  let plain: string

  beforeAll(async () => {
    root = await writeApp('vite')
    plain = await writeApp('vite-plain')
  })

  const config = (at: string, withPlugin: boolean): InlineConfig => ({
    root: at,
    logLevel: 'silent',
    envDir: false,
    cacheDir: join(at, 'node_modules/.vite'),
    plugins: withPlugin ? [sentryTraceVite(OPTIONS)] : [],
  })

  async function runBuilt(at: string): Promise<{ result: WorkerResult; requests: RecordedRequest[] }> {
    serving = join(at, 'dist')
    try {
      return await runPage('http://app.test/')
    } finally {
      serving = undefined
    }
  }

  it('vite build: the worker is rewritten without a worker option, continues the page trace, sees what it sees without the plugin', async () => {
    await build({ ...config(plain, false), build: { outDir: 'dist', emptyOutDir: true } })
    const without = await runBuilt(plain)
    expect(without.result.got).toBe('ping')
    expect(without.result.hash).toBe('')

    await build({ ...config(root, true), build: { outDir: 'dist', emptyOutDir: true } })
    const { result, requests } = await runBuilt(root)
    expectWorkerTraced(requests)
    expect(withoutHash(result)).toEqual(withoutHash(without.result))
    expectHandOffInFragment(result)
    // The worker's entry module is the worker's script: its URL has the fragment too.
    expect(result.moduleHash).toBe(result.hash)
    expectWorkerSites(await readReport(root))
  })

  it('vite dev: the same, the worker served module by module', async () => {
    const vite = await createServer({
      ...config(root, true),
      plugins: [
        sentryTraceVite(OPTIONS),
        { name: 'meta-tags', transformIndexHtml: () => [{ tag: 'meta', attrs: { name: 'sentry-trace', content: `${TRACE_ID}-${PARENT_SPAN_ID}-1` } }, { tag: 'meta', attrs: { name: 'baggage', content: META_BAGGAGE } }] },
      ],
      server: { host: '127.0.0.1', port: 0, hmr: false, fs: { allow: [REPO_ROOT] }, proxy: { '/api': server.origin, '/other': server.origin } },
    })
    try {
      await vite.listen()
      const { result, requests } = await runPage(vite.resolvedUrls!.local[0]!)
      expectWorkerTraced(requests)
      expect(result.got).toBe('ping')
      expect(result.search).toBe('?worker_file&type=module')
      expectHandOffInFragment(result)
      expect(result.moduleHash).toBe(result.hash)
    } finally {
      await vite.close()
    }
  })
})

/** webpack 5 and Rspack: the same config, the worker a chunk of the page's build. */
const PACKERS = [
  { name: 'webpack', compiler: (config: Configuration) => webpack(config), plugin: sentryTraceWebpack },
  { name: 'rspack', compiler: (config: Configuration) => rspack(config as RspackOptions) as unknown as webpack.Compiler, plugin: sentryTraceRspack as unknown as typeof sentryTraceWebpack },
]

describe.each(PACKERS)('$name', ({ name, compiler, plugin }) => {
  async function packerBuild(at: string, withPlugin: boolean): Promise<void> {
    const config: Configuration = {
      mode: 'production',
      context: at,
      entry: './src/main.js',
      output: { path: join(at, 'dist'), filename: 'main.js', publicPath: '/', clean: true },
      devtool: false,
      // Chunk file names from module paths: the worker's is the same with and without the plugin.
      optimization: { chunkIds: 'named' },
      infrastructureLogging: { level: 'none' },
      plugins: withPlugin ? [plugin(OPTIONS)] : [],
    }
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      compiler(config).run((error, result) => (error ? reject(error) : resolve(result!))),
    )
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false)
    // The page loads the bundle as a classic script.
    await writeFile(join(at, 'dist/index.html'), FILES['index.html']!.replace('<script type="module" src="/src/main.js"></script>', '<script src="/main.js"></script>'))
  }

  async function runBuilt(at: string): Promise<{ result: WorkerResult; requests: RecordedRequest[] }> {
    serving = join(at, 'dist')
    try {
      return await runPage('http://app.test/')
    } finally {
      serving = undefined
    }
  }

  it('build: the worker chunk is rewritten, continues the page trace, sees what it sees without the plugin', async () => {
    // One folder for both builds: the bundler writes the module's file URL as its `import.meta.url`.
    const root = await writeApp(name)
    await packerBuild(root, false)
    const without = await runBuilt(root)
    expect(without.result.got).toBe('ping')

    await packerBuild(root, true)
    const { result, requests } = await runBuilt(root)
    expectWorkerTraced(requests)
    expect(withoutHash(result)).toEqual(withoutHash(without.result))
    expectHandOffInFragment(result)
    // The bundler gives a module its file's URL, without the fragment.
    expect(result.moduleHash).toBe(without.result.moduleHash)
    expectWorkerSites(await readReport(root))
  })
})
