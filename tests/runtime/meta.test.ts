// @vitest-environment jsdom
/**
 * Continuing the server's trace from the page's meta tags, checked
 * on what the server receives. Each case loads a fresh copy of the runtime, since
 * the page context is read once per page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as Runtime from '../../runtime/index.js'
import { startRecordServer, type RecordServer, setPageUrl } from '../helpers/record-server.js'

const TRACE_ID = '12345678901234567890123456789012'
const SPAN_ID = '1234567890123456'

let server: RecordServer

beforeAll(async () => {
  server = await startRecordServer()
  // The page is served from the server's origin (jsdom's URL is set after the
  // ephemeral port is known, which an environment-options comment cannot do).
  setPageUrl(`${server.url}page`)
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  server.requests.length = 0
  document.head.replaceChildren()
  vi.resetModules()
})

function setMeta(name: string, content: string): void {
  let meta = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)
  if (!meta) {
    meta = document.createElement('meta')
    meta.name = name
    document.head.append(meta)
  }
  meta.content = content
}

async function freshRuntime(config: Runtime.RuntimeConfig = {}): Promise<typeof Runtime> {
  const runtime = await import('../../runtime/index.js')
  runtime.configure(config)
  return runtime
}

/** Send one same-origin request and give back the trace headers the server saw. */
async function send(runtime: typeof Runtime) {
  server.requests.length = 0
  await runtime.tracedFetch(`${server.url}api`)
  const [request] = server.received()
  const headers = request!.headers
  return {
    sentryTrace: headers['sentry-trace'] as string | undefined,
    baggage: headers.baggage as string | undefined,
    traceparent: headers.traceparent as string | undefined,
  }
}

describe('a valid sentry-trace meta tag', () => {
  it('continues its trace with its sampling decision and the sentry- part of its baggage', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    setMeta('baggage', `sentry-trace_id=${TRACE_ID},other-vendor=x,sentry-sample_rate=0.5,sentry-public_key=abc`)
    const runtime = await freshRuntime({ propagateTraceparent: true })
    const { sentryTrace, baggage, traceparent } = await send(runtime)
    expect(sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`))
    // A span id of our own for the trace, never the server's.
    expect(sentryTrace!.split('-')[1]).not.toBe(SPAN_ID)
    // A sample_rand is added, below the sample rate as the server sampled the trace.
    const [, sampleRand] = /^sentry-trace_id=\w+,sentry-sample_rate=0\.5,sentry-public_key=abc,sentry-sample_rand=(0\.\d+)$/.exec(baggage!)!
    expect(Number(sampleRand)).toBeLessThan(0.5)
    expect(traceparent).toBe(`00-${TRACE_ID}-${sentryTrace!.split('-')[1]}-01`)
    expect(await send(runtime)).toEqual({ sentryTrace, baggage, traceparent })
  })

  it('a -0 flag is sent as not sampled', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-0`)
    const runtime = await freshRuntime({ propagateTraceparent: true })
    const { sentryTrace, traceparent, baggage } = await send(runtime)
    expect(sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-0$`))
    expect(traceparent).toMatch(/-00$/)
    expect(baggage).toBeUndefined()
  })

  it('no flag means a deferred decision: no flag goes out either', async () => {
    setMeta('sentry-trace', ` \t${TRACE_ID}-${SPAN_ID}\t `)
    const runtime = await freshRuntime()
    expect((await send(runtime)).sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}$`))
  })

  it('a traceId alone is enough', async () => {
    setMeta('sentry-trace', TRACE_ID)
    const runtime = await freshRuntime()
    expect((await send(runtime)).sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}$`))
  })

  it('baggage entries are decoded and encoded again; those that do not decode, or have no value, are dropped', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    setMeta(
      'baggage',
      [
        'sentry-environment=prod',
        'sentry-release=has space',
        'sentry-bad\u0001key=1',
        'sentry-quote="x"',
        'sentry-transaction=GET%20%2Fitems',
        ' sentry-sampled = true ',
        'sentry-semi=a;prop',
        'sentry-bad-escape=%E0%A4%A',
        'sentry-empty=',
        'sentry-environment=last',
        'sentry-sample_rand=0.50',
      ].join(','),
    )
    const runtime = await freshRuntime()
    expect((await send(runtime)).baggage).toBe(
      'sentry-environment=last,sentry-release=has%20space,sentry-bad%01key=1,sentry-quote=%22x%22,' +
        'sentry-transaction=GET%20%2Fitems,sentry-sampled=true,sentry-semi=a%3Bprop,sentry-sample_rand=0.5',
    )
  })

  it('meta baggage past 8192 characters loses the entries that do not fit', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    const big = 'sentry-big=' + 'x'.repeat(8185)
    setMeta('baggage', `sentry-a=1,${big},sentry-b=2,sentry-sample_rand=0.25`)
    const runtime = await freshRuntime()
    expect((await send(runtime)).baggage).toBe('sentry-a=1,sentry-b=2,sentry-sample_rand=0.25')
  })
})

describe('an invalid or absent sentry-trace meta tag starts a fresh trace and ignores the baggage', () => {
  /** A trace the page started: sampling deferred, its trace id as the only DSC entry. */
  function expectFresh(sent: Awaited<ReturnType<typeof send>>): void {
    expect(sent.sentryTrace).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
    expect(sent.baggage).toBe(`sentry-trace_id=${sent.sentryTrace!.split('-')[0]}`)
  }

  const invalid: Array<[string, string]> = [
    ['uppercase hex', `ABCDEF78901234567890123456789012-ABCDEF7890123456-1`],
    ['uppercase letters in the trace id only', `abcdeF78901234567890123456789012-${SPAN_ID}-1`],
    ['a trace id one digit short', `${TRACE_ID.slice(1)}-${SPAN_ID}-1`],
    ['a trace id one digit long', `${TRACE_ID}0-${SPAN_ID}-1`],
    ['a CR/LF inside', `${TRACE_ID}-${SPAN_ID}\r\n-1`],
    ['a trailing newline', `${TRACE_ID}-${SPAN_ID}-1\n`],
    ['10 KB of junk', `${TRACE_ID}-${SPAN_ID}-1${'0'.repeat(10 * 1024)}`],
    ['a span id only', `-${SPAN_ID}-1`],
    ['a bad flag', `${TRACE_ID}-${SPAN_ID}-2`],
    ['empty', ''],
  ]

  it.each(invalid)('%s', async (_case, content) => {
    setMeta('sentry-trace', content)
    setMeta('baggage', `sentry-trace_id=${TRACE_ID},sentry-sampled=true`)
    const runtime = await freshRuntime()
    const first = await send(runtime)
    const second = await send(runtime)
    expectFresh(first)
    expect(first.sentryTrace!.startsWith(TRACE_ID)).toBe(false)
    // One fresh trace for the page, not one per request.
    expect(second).toEqual(first)
  })

  it('no meta tags at all', async () => {
    expectFresh(await send(await freshRuntime()))
  })
})

describe('when the meta tags are read', () => {
  it('pickUpMetaTags reads once; later calls and later tags change nothing', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    const runtime = await freshRuntime()
    runtime.pickUpMetaTags()
    setMeta('sentry-trace', `${'f'.repeat(32)}-${SPAN_ID}-0`)
    runtime.pickUpMetaTags()
    expect((await send(runtime)).sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`))
  })

  it('without an explicit call, the first traced request reads them', async () => {
    const runtime = await freshRuntime()
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-0`)
    expect((await send(runtime)).sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-0$`))
  })

  it('importing runtime/meta reads them at once, before the page can change them', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    await import('../../runtime/meta.js')
    // A client-side navigation replacing the tags must not move the trace.
    setMeta('sentry-trace', `${'e'.repeat(32)}-${SPAN_ID}-0`)
    const runtime = await freshRuntime()
    expect((await send(runtime)).sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`))
  })
})
