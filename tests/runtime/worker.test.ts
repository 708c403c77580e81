// @vitest-environment jsdom
/**
 * The hand-off of the page's trace to a worker it starts (runtime/worker-hand-off.ts),
 * and its pickup in the worker (runtime/worker.ts), without a browser: the page side in
 * jsdom with fake `Worker` / `SharedWorker` constructors that record what they are
 * given; the worker side with no `document` and a worker `location`. The browser
 * proof is tests/frameworks/workers.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as Runtime from '../../runtime/index.js'

const TRACE_ID = '12345678901234567890123456789012'
const META_TRACE = `${TRACE_ID}-1234567890123456-1`
const META_BAGGAGE = `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.25,other=kept-out`

/** A `Worker` stand-in: the arguments it was constructed with, as given. */
class FakeWorker {
  readonly args: unknown[]
  constructor(...args: unknown[]) {
    this.args = args
  }
}
class FakeSharedWorker extends FakeWorker {}

function setMeta(name: string, content: string): void {
  const meta = document.createElement('meta')
  meta.name = name
  meta.content = content
  document.head.append(meta)
}

async function loadRuntime(): Promise<typeof Runtime> {
  return import('../../runtime/index.js')
}

describe('page side: TracedWorker / TracedSharedWorker', () => {
  beforeEach(() => {
    vi.resetModules()
    document.head.replaceChildren()
    setMeta('sentry-trace', META_TRACE)
    setMeta('baggage', META_BAGGAGE)
    vi.stubGlobal('Worker', FakeWorker)
    vi.stubGlobal('SharedWorker', FakeSharedWorker)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('constructs the global constructor of the moment, the page trace in the URL fragment, options as given', async () => {
    const { TracedWorker, TracedSharedWorker } = await loadRuntime()
    const options = { type: 'module', name: 'mine' }
    const worker = new (TracedWorker as unknown as new (...args: unknown[]) => FakeWorker)('/worker.js', options)
    expect(worker).toBeInstanceOf(FakeWorker)
    const [url, given] = worker.args as [string, unknown]
    expect(given).toBe(options)
    expect(url.startsWith('/worker.js#')).toBe(true)
    const handedOver = new URLSearchParams(url.slice(url.indexOf('#') + 1))
    expect(handedOver.get('sentry-trace')).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`))
    // The page's continued baggage: its sentry- entries only.
    expect(handedOver.get('baggage')).toBe(`sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.25`)
    const shared = new (TracedSharedWorker as unknown as new (...args: unknown[]) => FakeWorker)(new URL('https://app.test/shared.js?x=1'))
    expect(shared).toBeInstanceOf(FakeSharedWorker)
    expect(shared.args[0]).toMatch(/^https:\/\/app\.test\/shared\.js\?x=1#sentry-trace=/)
  })

  it('hands over what the next request carries: the same trace, the same span id', async () => {
    const { TracedWorker, workerUrlWithTrace } = await loadRuntime()
    const first = new (TracedWorker as unknown as new (...args: unknown[]) => FakeWorker)('/a.js').args[0] as string
    const second = workerUrlWithTrace('/b.js') as string
    expect(first.slice(first.indexOf('#'))).toBe(second.slice(second.indexOf('#')))
  })

  it('leaves a URL with a fragment of its own, a URL it cannot read as text, and the argument count as they are', async () => {
    const { TracedWorker, workerUrlWithTrace } = await loadRuntime()
    expect(workerUrlWithTrace('/worker.js#mine')).toBe('/worker.js#mine')
    const withHash = new URL('https://app.test/w.js#mine')
    expect(workerUrlWithTrace(withHash)).toBe(withHash)
    const trusted = { toString: () => '/trusted.js' }
    expect(workerUrlWithTrace(trusted)).toBe(trusted)
    // `new Worker()` without arguments: the constructor gets none (the native one throws a TypeError).
    expect(new (TracedWorker as unknown as new (...args: unknown[]) => FakeWorker)().args).toEqual([])
    // The caller's URL object is not changed.
    const url = new URL('https://app.test/w.js')
    workerUrlWithTrace(url)
    expect(url.href).toBe('https://app.test/w.js')
  })
})

describe('worker side: runtime/worker', () => {
  beforeEach(() => {
    vi.resetModules()
    // A worker: no document, a location with the URL the worker was started with.
    vi.stubGlobal('document', undefined)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  async function requestHeadersIn(workerUrl: string): Promise<Record<string, string>> {
    vi.stubGlobal('location', new URL(workerUrl))
    await import('../../runtime/worker.js')
    const runtime = await loadRuntime()
    runtime.configure({ tracePropagationTargets: [/^\/api/] })
    let sent: Headers | undefined
    vi.stubGlobal('fetch', async (_input: unknown, init?: RequestInit) => {
      sent = new Headers(init?.headers)
      return new Response('')
    })
    await runtime.tracedFetch('/api/x')
    return Object.fromEntries(sent!.entries())
  }

  it('continues the trace the page handed over, once, with its sampling decision and baggage', async () => {
    const fragment = new URLSearchParams({ 'sentry-trace': `${TRACE_ID}-1234567890123456-0`, baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.5` })
    const headers = await requestHeadersIn(`https://app.test/worker.js#${fragment}`)
    expect(headers['sentry-trace']).toMatch(new RegExp(`^${TRACE_ID}-(?!1234567890123456)[0-9a-f]{16}-0$`))
    expect(headers.baggage).toBe(`sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.5`)
  })

  it('starts its own trace without a hand-off, or with one that is not a trace', async () => {
    for (const url of ['https://app.test/worker.js', 'https://app.test/worker.js#sentry-trace=nonsense', 'https://app.test/worker.js#mine']) {
      vi.resetModules()
      const headers = await requestHeadersIn(url)
      expect(headers['sentry-trace'], url).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
      expect(headers['sentry-trace']!.startsWith(TRACE_ID), url).toBe(false)
    }
  })
})
