// @vitest-environment jsdom
/**
 * Continuing the server's trace from the page's meta tags (shared SPEC §4), checked
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
    // A span of our own per request, never the server's.
    expect(sentryTrace!.split('-')[1]).not.toBe(SPAN_ID)
    expect(baggage).toBe(`sentry-trace_id=${TRACE_ID},sentry-sample_rate=0.5,sentry-public_key=abc`)
    expect(traceparent).toBe(`00-${TRACE_ID}-${sentryTrace!.split('-')[1]}-01`)
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

  it('baggage entries that could not be sent as a header value are dropped one by one', async () => {
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
      ].join(','),
    )
    const runtime = await freshRuntime()
    expect((await send(runtime)).baggage).toBe(
      'sentry-environment=prod,sentry-transaction=GET%20%2Fitems,sentry-sampled=true',
    )
  })

  it('meta baggage past 8192 characters loses the entries that do not fit', async () => {
    setMeta('sentry-trace', `${TRACE_ID}-${SPAN_ID}-1`)
    const big = 'sentry-big=' + 'x'.repeat(8185)
    setMeta('baggage', `sentry-a=1,${big},sentry-b=2`)
    const runtime = await freshRuntime()
    expect((await send(runtime)).baggage).toBe('sentry-a=1,sentry-b=2')
  })
})

describe('an invalid or absent sentry-trace meta tag starts a fresh trace and ignores the baggage', () => {
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
    expect(first.sentryTrace).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
    expect(first.sentryTrace!.startsWith(TRACE_ID)).toBe(false)
    expect(first.baggage).toBeUndefined()
    // One fresh trace for the page, not one per request.
    expect(second.sentryTrace!.split('-')[0]).toBe(first.sentryTrace!.split('-')[0])
  })

  it('no meta tags at all', async () => {
    const runtime = await freshRuntime()
    const { sentryTrace, baggage } = await send(runtime)
    expect(sentryTrace).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
    expect(baggage).toBeUndefined()
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
