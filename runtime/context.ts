/**
 * Runtime state: the configuration the rewritten files pass in, the page's trace
 * context (continued from the server's meta tags, or fresh), and the trace source
 * that turns a request into headers. Every transport goes through `startTrace`,
 * so the rules live here once.
 */

import { applyTraceHeaders, joinWithin, MAX_BAGGAGE_LENGTH, type HeaderBag, type TraceHeaders } from './headers.js'
import { shouldAttachHeadersHere, type TracePropagationTarget } from './match.js'

export type { TraceHeaders }

export interface RuntimeConfig {
  /** `undefined` means the same-origin rule (shared SPEC §2). */
  tracePropagationTargets?: Array<string | RegExp>
  /** Also send W3C `traceparent`; off by default because it widens CORS. */
  propagateTraceparent?: boolean
}

export interface TracedRequest {
  url: string
  method: string
  transport: 'fetch' | 'xhr' | 'axios'
}

export interface RequestOutcome {
  status?: number
  error?: unknown
}

export interface StartedRequest {
  headers: TraceHeaders
  end?(outcome: RequestOutcome): void
}

export interface TraceSource {
  /** Called once per request that matched, only when the caller did not set sentry-trace itself. Return undefined to send nothing. */
  startRequest(request: TracedRequest, options: { propagateTraceparent: boolean }): StartedRequest | undefined
}

/** Ends a started request; only the first call counts. */
export type EndRequest = (outcome: RequestOutcome) => void

/**
 * How the transports observe a request ending, for a source that wants to know
 * (`StartedRequest.end`). `setTraceSource` (./source.ts) installs them with the
 * source, so an app that stays on the page's own context ships none of this.
 */
export interface EndTrackers {
  /** Calls `send` and then `end` once the fetch settles (or throws); returns what `send` returned. */
  fetch(send: () => Promise<Response>, end: EndRequest): Promise<Response>
  /** Calls `end` once the request `xhr` sent is over; without `end`, the one in flight was dropped (`open()`, or `send()` threw `error`). */
  xhr(xhr: XMLHttpRequest, end?: EndRequest, error?: unknown): void
}

let targets: readonly TracePropagationTarget[] | undefined
let options = { propagateTraceparent: false }
let source: TraceSource | undefined
export let trackers: EndTrackers | undefined

/** Every rewritten file may call this with the same config, so the last call simply wins. */
export function configure(config: RuntimeConfig): void {
  targets = config.tracePropagationTargets
  options = { propagateTraceparent: !!config.propagateTraceparent }
}

/** Use `next` for trace headers and `ends` to tell it when requests end; `undefined` goes back to the page's context. */
export function installTraceSource(next: TraceSource | undefined, ends: EndTrackers): void {
  source = next
  trackers = next && ends
}

/** traceId, then `-1`, `-0` or `` for the sampling decision, then the frozen DSC. */
let page: [traceId: string, sampled: string, baggage: string] | undefined

const SENTRY_TRACE = /^[ \t]*([0-9a-f]{32})?-?([0-9a-f]{16})?-?([01])?[ \t]*$/
// W3C baggage: the key is an RFC 7230 token, the value baggage-octets. Anything
// else (CR/LF above all) would make fetch throw on every request of the page.
const DSC_ENTRY = /^(sentry-[!#$%&'*+.^_`|~\w-]+)[ \t]*=[ \t]*([\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*)$/

/**
 * Continue the server's trace from `<meta name="sentry-trace">` and `<meta name="baggage">`
 * (shared SPEC §4). Runs once: a later client-side navigation must not re-read them.
 */
export function pickUpMetaTags(): void {
  if (page) return
  const doc = globalThis.document
  const read = (name: string) => doc?.querySelector(`meta[name=${name}]`)?.getAttribute('content') ?? ''
  const trace = SENTRY_TRACE.exec(read('sentry-trace'))
  page = trace?.[1]
    ? [
        trace[1],
        trace[3] ? '-' + trace[3] : '',
        joinWithin(
          read('baggage')
            .split(',')
            .map((entry) => DSC_ENTRY.exec(entry.trim())?.slice(1).join('=') ?? ''),
          MAX_BAGGAGE_LENGTH,
        ),
      ]
    : [randomHex(16), '', '']
}

// One getRandomValues call fills ids for many requests: crossing into the browser
// for 8 bytes per request was most of a traced call's cost (bench/RESULTS.md).
let pool = new Uint8Array(0)
let used = 0
let hexByte: string[] | undefined

/** `bytes` random bytes as lowercase hex; never all zeros, which W3C trace context calls invalid. */
export function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(4096))
    used = 0
  }
  hexByte ??= Array.from({ length: 256 }, (_, byte) => (byte + 256).toString(16).slice(1))
  let hex = ''
  let any = 0
  for (const end = used + bytes; used < end; used++) {
    any |= pool[used]!
    hex += hexByte[pool[used]!]
  }
  return any ? hex : hex.slice(1) + 1
}

/** The page's own context (meta tags, else fresh): the default source, and the fallback of others. */
export const pageSource: TraceSource = {
  startRequest(_request, options) {
    pickUpMetaTags()
    const [traceId, sampled, baggage] = page!
    const spanId = randomHex(8)
    const headers: TraceHeaders = { 'sentry-trace': `${traceId}-${spanId}${sampled}` }
    if (baggage) headers.baggage = baggage
    if (options.propagateTraceparent) headers.traceparent = `00-${traceId}-${spanId}-0${+(sampled === '-1')}`
    return { headers }
  },
}

/**
 * If `request` should carry trace headers (SPEC §2) and the caller set no
 * `sentry-trace`, start it on the trace source and add its headers to the bag
 * `headers()` gives (built only then).
 *
 * @param check false when the build already proved the URL matches
 * @returns false when nothing was added (the request goes out as the caller wrote
 *   it); else what ends the request when the source wants to know, or true
 */
export function startTrace(request: TracedRequest, headers: () => HeaderBag, check?: boolean): EndRequest | boolean {
  if (check !== false && !shouldAttachHeadersHere(request.url, targets)) return false
  let started: StartedRequest | undefined
  try {
    const bag = headers()
    if (bag.get('sentry-trace') != null) return false
    started = (source || pageSource).startRequest(request, options)
    if (!started) return false
    applyTraceHeaders(bag, started.headers, options.propagateTraceparent)
    return !started.end || endOnce(started)
  } catch (error) {
    // Tracing must never break the request it decorates: it goes out as the caller wrote it.
    if (started?.end) endOnce(started)({ error })
    return false
  }
}

/** `started.end`, called at most once, never throwing into the request. */
function endOnce(started: StartedRequest | undefined): EndRequest {
  return (outcome) => {
    const once = started
    started = undefined
    try {
      once!.end!(outcome)
    } catch {}
  }
}
