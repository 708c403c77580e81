/**
 * Part 4: JS time per fetch call in Chromium, the network taken out. Every page
 * replaces `globalThis.fetch`, in an inline script that runs before any module,
 * with the same no-op async function, so the only difference between variants is
 * the code between the call site and that function: nothing (raw, and a `never`
 * site, whose code the plugin leaves untouched), our runtime (standalone, or
 * connected to the page's Sentry SDK), or the SDK's own patch.
 *
 * Pages are served from memory (no server); each batch is a bounded loop of
 * `BATCH` calls; per round every variant runs one batch, in rotating order, and
 * the standalone page runs its rounds before the SDK pages run theirs
 * (measureRequestCost).
 */

import chromium from '@sparticuz/chromium'
import * as esbuild from 'esbuild'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium as playwright, type Browser, type CDPSession, type Page } from 'playwright-core'
import { BENCH_TARGETS, compiled, REPO_ROOT } from '../compiled.js'
import { roundOrder, summarize, topSelfTime, type Summary } from '../stats.js'
import { loadCompiledTransform } from '../transform-cost.js'

const ORIGIN = 'http://bench.local'
const BATCH = 10_000
/**
 * After a batch settles, its page is left alone until its main thread has been idle
 * (under {@link IDLE_SHARE} busy) for one {@link IDLE_MS} window, and then, where
 * the machine reports it (Linux), until all its cores have been too: at most
 * {@link IDLE_WINDOWS} windows each. The work a tracer defers past the settled
 * promises (the SDK ending spans once resource timings are in) is then all counted
 * in its own page's busy time, and none of it, nor the garbage collector's background
 * threads sweeping a big heap, runs beside the next batch on this machine's few cores.
 */
const IDLE_MS = 100
const IDLE_SHARE = 0.02
const IDLE_WINDOWS = 100
/** The machine's cores may be this busy and count as idle: the bench's own process and the browser's housekeeping. */
const MACHINE_IDLE_SHARE = 0.15

/** Busy and total CPU time of all cores so far (jiffies), or undefined where there is no /proc/stat. */
function cpuTimes(): { busy: number; total: number } | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
    const numbers = fields.map(Number)
    const total = numbers.reduce((sum, value) => sum + value, 0)
    // idle and iowait
    return { busy: total - numbers[3]! - (numbers[4] ?? 0), total }
  } catch {
    return undefined
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits (bounded) until the machine's cores have been nearly idle for one window. */
async function machineIdle(): Promise<void> {
  let last = cpuTimes()
  for (let window = 0; last && window < IDLE_WINDOWS; window++) {
    await sleep(IDLE_MS)
    const now = cpuTimes()!
    if (now.total > last.total && (now.busy - last.busy) / (now.total - last.total) < MACHINE_IDLE_SHARE) return
    last = now
  }
}

/** The one no-op every variant ends in. Answers with one shared empty Response. */
const NOOP_FETCH = `const response = new Response(null, { status: 204 });
globalThis.fetch = async function fetch(input, init) { globalThis.__lastInit = init; return response };`

/** Meta tags as a server continuing its trace renders them: both runtimes read them. */
const META = `<meta name="sentry-trace" content="0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1">
<meta name="baggage" content="sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-environment=production,sentry-public_key=public,sentry-sample_rate=1,sentry-sampled=true">`

export interface PageSpec {
  name: string
  path: string
  bundle: string
}

export interface VariantCost {
  page: string
  variant: string
  nsPerCall: Summary
  /**
   * Main-thread busy time per call from the batch's start until the page is idle again
   * (Chromium's TaskDuration metric): it also counts the work a tracer defers past the
   * settled promises, such as the SDK ending spans once resource timings are in.
   */
  busyNsPerCall: Summary
  /** Headers the no-op received on a probe call. */
  headers: Record<string, string>
}

export interface RequestCost {
  variants: VariantCost[]
  /** The transform left the `never` call site as written (so its cost is the raw call's by construction). */
  neverUntouched: boolean
  chromium: string
  batch: number
}

async function buildPage(entry: string, plugins: esbuild.Plugin[], minify = true): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'bench/request', entry)],
    bundle: true,
    minify,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    plugins,
  })
  return result.outputFiles[0]!.text
}

export async function openPage(browser: Browser, spec: PageSpec): Promise<Page> {
  const page = await browser.newPage()
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url())
    // Cross-origin isolation gives performance.now() its fine resolution.
    const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
    if (url.pathname === `/${spec.name}.js`) return route.fulfill({ contentType: 'text/javascript', body: spec.bundle, headers: isolation })
    return route.fulfill({
      contentType: 'text/html',
      headers: isolation,
      body: `<!doctype html><html><head>${META}<script>${NOOP_FETCH}</script><script type="module" src="/${spec.name}.js"></script></head><body></body></html>`,
    })
  })
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  await page.goto(`${ORIGIN}${spec.path}`)
  await page.waitForFunction(() => globalThis.__bench !== undefined, undefined, { timeout: 20_000 }).catch(() => {
    throw new Error(`bench page ${spec.path} did not start: ${errors.join('; ') || 'no error reported'}`)
  })
  return page
}

/** The `never` site of traced-loops.ts, as the transform leaves it. */
async function neverSiteUntouched(): Promise<boolean> {
  const { transform } = await loadCompiledTransform()
  const id = join(REPO_ROOT, 'bench/request/traced-loops.ts')
  const code = readFileSync(id, 'utf8')
  const result = transform(code, id, { tracePropagationTargets: BENCH_TARGETS }) as {
    code: string
    sites: Array<{ decision: string; line: number }>
  } | null
  const site = result?.sites.find((candidate) => candidate.decision === 'never')
  if (!result || !site) return false
  const line = (text: string) => text.split('\n')[site.line - 1]
  // The preamble goes on the first line; the never site is further down.
  return site.line > 1 && line(result.code) === line(code)
}

/**
 * A page built with the plugin: standalone (`sentry: false`), or connected to the page's
 * SDK. `plugin` is the compiled esbuild entry to build with (the bench's own by default).
 */
export async function buildOursPage(
  minify: boolean,
  entry = 'page-ours.ts',
  sentry: string | false = false,
  plugin = compiled('plugin/esbuild.js'),
): Promise<string> {
  const { default: sentryTrace } = (await import(pathToFileURL(plugin).href)) as {
    default: (options: object) => esbuild.Plugin
  }
  return buildPage(entry, [sentryTrace({ tracePropagationTargets: BENCH_TARGETS, exclude: /raw-loops/, sentry })], minify)
}

/**
 * The packaged Chromium with its own flags, `--single-process` included: the pages
 * of one browser share one renderer main thread, so they never run beside each other
 * on this machine's few cores.
 */
export function launch(): Promise<Browser> {
  return chromium.executablePath().then((executablePath) => playwright.launch({ executablePath, args: chromium.args, headless: true }))
}

export interface ProfileEntry {
  name: string
  /** Share of the sampled time spent in this function itself. */
  share: number
}

/**
 * Where a variant of the ours page spends its time: a V8 CPU profile over several
 * batches of an unminified build (function names kept), self time by function.
 */
export async function profileRequest(
  variant: string,
  setup: 'standalone' | 'sdk-spans' | 'sdk-own-spans' = 'standalone',
  batches = 10,
): Promise<{ nsPerCall: number; top: ProfileEntry[] }> {
  const browser = await launch()
  try {
    const spec: PageSpec =
      setup === 'standalone'
        ? { name: 'ours', path: '/ours.html', bundle: await buildOursPage(false) }
        : setup === 'sdk-spans'
          ? { name: 'ours-sdk', path: '/ours-sdk.html?mode=spans', bundle: await buildOursPage(false, 'page-ours-sdk.ts', '@sentry/browser') }
          : { name: 'sentry', path: '/sentry.html?mode=spans', bundle: await buildPage('page-sentry.ts', [], false) }
    const page = await openPage(browser, spec)
    const run = () => page.evaluate(([name, n]) => globalThis.__bench!.run(name, n), [variant, BATCH] as const)
    for (let index = 0; index < 3; index++) await run()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 })
    await cdp.send('Profiler.start')
    const samples: number[] = []
    for (let index = 0; index < batches; index++) samples.push(await run())
    const { profile } = await cdp.send('Profiler.stop')
    const top = topSelfTime(profile, ({ functionName, lineNumber }) =>
      functionName === '(idle)' ? undefined : functionName || `(anonymous, line ${lineNumber + 1})`,
    )
    return { nsPerCall: summarize(samples).median, top }
  } finally {
    await browser.close()
  }
}

export async function measureRequestCost(rounds: number, log: (line: string) => void): Promise<RequestCost> {
  const ours = await buildOursPage(true)
  const oursOnSdk = await buildOursPage(true, 'page-ours-sdk.ts', '@sentry/browser')
  const sentry = await buildPage('page-sentry.ts', [])
  // Two phases, each in a browser of its own: first the standalone page, then the pages
  // with the SDK. With all of them interleaved (in one browser or two), the standalone
  // page's medians swung from run to run (tracedFetch 1.1 to 1.5 us per call) against
  // 0.65 to 0.75 us with its page alone, while the SDK pages' figures did not move; it
  // stayed so with every batch waiting for its page and the machine to go idle, so what
  // the SDK batches leave behind is not CPU time, and was not found.
  const standalone = await measurePhase([{ name: 'ours', path: '/ours.html', bundle: ours }], rounds, (line) => log(`  standalone page: ${line}`))
  const withSdk = await measurePhase(
    [
      { name: 'sentry', path: '/sentry.html?mode=propagation', bundle: sentry },
      { name: 'sentry', path: '/sentry.html?mode=spans', bundle: sentry },
      { name: 'ours-sdk', path: '/ours-sdk.html?mode=propagation', bundle: oursOnSdk },
      { name: 'ours-sdk', path: '/ours-sdk.html?mode=spans', bundle: oursOnSdk },
    ],
    rounds,
    (line) => log(`  SDK pages: ${line}`),
  )
  return {
    variants: [...standalone.variants, ...withSdk.variants],
    neverUntouched: await neverSiteUntouched(),
    chromium: standalone.chromium,
    batch: BATCH,
  }
}

/** Every variant of `specs`' pages, opened in one browser, `rounds` batches each in rotating order. */
async function measurePhase(specs: PageSpec[], rounds: number, log: (line: string) => void): Promise<{ variants: VariantCost[]; chromium: string }> {
  const browser = await launch()
  try {
    const pages = await Promise.all(specs.map((spec) => openPage(browser, spec)))
    const jobs: Array<{ page: Page; pageName: string; variant: string }> = []
    for (const [index, page] of pages.entries()) {
      const variants = await page.evaluate(() => globalThis.__bench!.variants)
      for (const variant of variants) jobs.push({ page, pageName: specs[index]!.path.slice(1), variant })
    }
    const headers = new Map<(typeof jobs)[number], Record<string, string>>()
    for (const job of jobs) headers.set(job, await job.page.evaluate((variant) => globalThis.__bench!.probe(variant), job.variant))
    const samples = new Map<(typeof jobs)[number], number[]>(jobs.map((job) => [job, []]))
    const busy = new Map<(typeof jobs)[number], number[]>(jobs.map((job) => [job, []]))
    const sessions = new Map<Page, CDPSession>()
    for (const page of pages) {
      const session = await page.context().newCDPSession(page)
      await session.send('Performance.enable')
      sessions.set(page, session)
    }
    const taskSeconds = async (page: Page): Promise<number> => {
      const { metrics } = await sessions.get(page)!.send('Performance.getMetrics')
      return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN
    }
    /** Waits for `page`, then the machine, to be idle (see IDLE_MS); the page's TaskDuration then. */
    const settle = async (page: Page): Promise<number> => {
      let last = await taskSeconds(page)
      for (let window = 0; window < IDLE_WINDOWS; window++) {
        await page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), IDLE_MS)
        const now = await taskSeconds(page)
        if (now - last < (IDLE_MS / 1000) * IDLE_SHARE) break
        last = now
      }
      await machineIdle()
      return taskSeconds(page)
    }
    // Three uncounted rounds warm every path up.
    for (let round = -3; round < rounds; round++) {
      for (const job of roundOrder(jobs, round + 3)) {
        const before = await taskSeconds(job.page)
        const ns = await job.page.evaluate(([variant, n]) => globalThis.__bench!.run(variant, n), [job.variant, BATCH] as const)
        const after = await settle(job.page)
        if (round >= 0) {
          samples.get(job)!.push(ns)
          busy.get(job)!.push(((after - before) * 1e9) / BATCH)
        }
      }
      if (round >= 0 && (round + 1) % 5 === 0) log(`round ${round + 1}/${rounds} done`)
    }
    return {
      variants: jobs.map((job) => ({
        page: job.pageName,
        variant: job.variant,
        nsPerCall: summarize(samples.get(job)!),
        busyNsPerCall: summarize(busy.get(job)!),
        headers: headers.get(job)!,
      })),
      chromium: browser.version(),
    }
  } finally {
    await browser.close()
  }
}
