// unplugin-sentry-trace runtime: never rewritten
/**
 * Runtime state: the configuration the rewritten files pass in, the page's trace
 * context (continued from the server's meta tags or Server-Timing, or fresh; a new
 * one after each client-side navigation), and the trace source
 * that turns a request into headers. Every transport goes through `startTrace`,
 * so the rules live here once.
 */

import { applyTraceHeaders, joinWithin, MAX_BAGGAGE_LENGTH, type HeaderBag, type TraceHeaders } from './headers.js'
import { pageHref, shouldAttachHeaders, type TracePropagationTarget } from './match.js'
import type { AxiosOutcome } from './axios.js'

export type { TraceHeaders }

export interface RuntimeConfig {
  /** `undefined` means the same-origin rule (./match.ts). */
  tracePropagationTargets?: Array<string | RegExp>
  /** Also send W3C `traceparent`; off by default because it widens CORS. */
  propagateTraceparent?: boolean
}

export interface TracedRequest {
  url: string
  method: string
  /** `http-client`: Angular's HttpClient, through ./angular.ts (its backend, XHR or fetch, is not known there). */
  transport: 'fetch' | 'xhr' | 'axios' | 'http-client'
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
  /** Calls `fetch` on `self` with `args` and, when `end` is one, `end` once the fetch settles (or throws); returns what `fetch` returned. */
  fetch(end: EndRequest | boolean | undefined, fetch: typeof globalThis.fetch, self: unknown, args: Parameters<typeof fetch>): Promise<Response>
  /** Calls `send` and, when `end` is one, `end` once the request `xhr` sent is over (or `send` threw); without `send`, `open()` dropped the one in flight. */
  xhr(xhr: XMLHttpRequest, end?: EndRequest | boolean, send?: () => void): void
  /** Ends the request axios settled with `outcome`: its response, or (`failed`) the error it rejects with. */
  axios(outcome: AxiosOutcome | undefined, failed?: boolean): void
}

let targets: readonly TracePropagationTarget[] | undefined
/** Whether `traceparent` goes out too (configured; unset is off). */
export let traceparent: boolean | undefined
/**
 * Starts `request` on the installed trace source and adds its headers to `bag`;
 * false when the source started nothing, else its `end` or true. Unset: the page's
 * context gives the headers (./source.ts sets it).
 */
export type StartRequest = (request: TracedRequest, bag: HeaderBag) => EndRequest | boolean
let start: StartRequest | undefined
export let trackers: EndTrackers | undefined

/** Every rewritten file may call this with the same config, so the last call simply wins. */
export function configure(config: RuntimeConfig): void {
  targets = config.tracePropagationTargets
  traceparent = config.propagateTraceparent
}

/**
 * Start requests with `next` and tell `ends` when they end; `undefined` goes back to
 * the page's context. The `end` of what `next` starts must be safe to call more than
 * once and never throw (./source.ts makes it so).
 */
export function installTraceSource(next: StartRequest | undefined, ends: EndTrackers): void {
  start = next
  trackers = next && ends
}

/**
 * The trace requests join now, as the headers that carry it: one propagation span
 * id per trace, as the SDK keeps one per propagation context.
 */
let trace: TraceHeaders | undefined
/** The page URL the trace started at: a client-side navigation moves away from it. */
let traceHref: string
/**
 * The page URL: read by `startTrace` for each request (a read costs about as much as
 * the URL match), unless the Navigation API reports every change of it (`watched`):
 * then it is the URL the current trace started at, each change starting a new one.
 */
let href: string
let watched: unknown

const SENTRY_TRACE = /^[ \t]*([0-9a-f]{32})-?([0-9a-f]{16})?-?([01])?[ \t]*$/

/**
 * Continue the server's trace on pageload, as the Sentry browser SDK does
 * (`startPageLoadSpan` in
 * https://github.com/getsentry/sentry-javascript/blob/develop/packages/browser/src/tracing/browserTracingIntegration.ts):
 * each of `sentry-trace` and `baggage` comes from its `<meta>` tag or, when that is
 * absent or empty, from the page response's `Server-Timing` entry of that name.
 * Runs once: the tags are never read again, and from then on every client-side
 * navigation starts a new trace (docs/trace-lifetime.md). A worker reads what its
 * page handed over instead (`read`: ./worker.ts).
 */
export function pickUpMetaTags(read: (name: string) => string | undefined = readPage): void {
  if (trace) return
  // No tag tests as "undefined", which is no trace either.
  const [, traceId, , sampled] = SENTRY_TRACE.exec(read('sentry-trace') as string) || []
  newTrace(traceId, sampled, traceId && continuedBaggage(read('baggage'), sampled))
  // Listening is no global write. The Navigation API reports every same-document
  // navigation as it happens (within the call that changes the URL); `popstate`
  // (which a #fragment navigation fires too) and the URL read per request are for
  // browsers without it.
  globalThis.addEventListener?.('popstate', onNavigation)
  globalThis.addEventListener?.('pageshow', onNavigation)
  ;(watched = (globalThis as { navigation?: EventTarget }).navigation)?.addEventListener('currententrychange', onNavigation)
}

/** The page's `<meta>` tag of that name, else its response's `Server-Timing` entry. */
function readPage(name: string): string | undefined {
  const navigation = globalThis.performance?.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined
  return (
    globalThis.document?.querySelector<HTMLMetaElement>(`meta[name=${name}]`)?.content ||
    navigation?.serverTiming?.find((entry) => entry.name === name)?.description
  )
}

/**
 * The headers of the trace the page's next request would join, for a worker the page
 * starts (./worker-hand-off.ts): the page's own context, as `startTrace` would find it.
 */
export function pageTraceHeaders(): TraceHeaders {
  href = pageHref()
  return pageTrace()
}

/** A bfcache restore (`pageshow`, persisted) or a new page URL starts a new trace, as the SDK's navigation span does. */
function onNavigation(event: Event): void {
  if ((event as PageTransitionEvent).persisted || pageHref() !== traceHref) newTrace()
}

/**
 * Start the trace requests join: continued (`sampled` being the parent's `1`, `0` or
 * nothing: deferred) or else of our own, sampling left to the receiver, with the
 * only DSC entry the page knows without the SDK's options.
 */
function newTrace(traceId = randomHex(16), sampled?: string, baggage = 'sentry-trace_id=' + traceId): void {
  const spanId = randomHex(8)
  trace = {
    'sentry-trace': traceId + '-' + spanId + (sampled ? '-' + sampled : ''),
    baggage,
    traceparent: `00-${traceId}-${spanId}-0${+(sampled === '1')}`,
  }
  traceHref = href = pageHref()
}

/**
 * The `sentry-` entries of a continued trace's baggage, parsed and written back as
 * the SDK does (`baggageHeaderToDynamicSamplingContext` and
 * `propagationContextFromHeaders` in @sentry/core): entries decoded, those that do
 * not decode or have no value dropped, the last of a key winning, values encoded
 * again; `sentry-sample_rand` normalised, or derived from the sample rate and
 * the parent's decision when absent, so every receiver samples this trace alike.
 */
export function continuedBaggage(header: string | undefined, sampled: string | undefined): string {
  const dsc: Record<string, string> = {}
  for (const entry of (header + '').split(',')) {
    try {
      // No `=` (or nothing before it) throws here; a key and a value that decode make a whole that does too.
      const [, key, value] = /^([^=]+)=(.*)/s.exec(entry)!.map((part) => decodeURIComponent(part.trim()))
      if (value && key!.startsWith('sentry-')) dsc[key!.slice(7)] = value
    } catch {}
  }
  if (Object.keys(dsc).length) {
    const random = Math.random()
    const rate = unitNumber(dsc.sample_rate)
    dsc.sample_rand = '' + (unitNumber(dsc.sample_rand) ?? (rate && sampled ? (sampled > '0' ? random * rate : rate + random * (1 - rate)) : random))
  }
  return joinWithin(
    Object.keys(dsc).map((key) => encodeURIComponent('sentry-' + key) + '=' + encodeURIComponent(dsc[key]!)),
    MAX_BAGGAGE_LENGTH,
  )
}

/** A number in [0, 1] at the start of `value`, else undefined. */
function unitNumber(value: string | undefined): number | undefined {
  const number = parseFloat(value!)
  return number >= 0 && number <= 1 ? number : undefined
}

/** `bytes` random bytes as lowercase hex; never all zeros, which W3C trace context calls invalid. */
export function randomHex(bytes: number): string {
  let hex = ''
  for (const byte of crypto.getRandomValues(new Uint8Array(bytes))) hex += (byte | 256).toString(16).slice(1)
  return /[^0]/.test(hex) ? hex : hex.slice(1) + 1
}

/**
 * The headers of the page's own context: what requests carry without a trace
 * source, and the fallback of others (called after `startTrace` read the page URL).
 * Beyond the navigation events, a request compares the page URL `startTrace` read
 * with the one its trace started at: the one thing done per request. `traceparent`
 * is always in the headers; it goes out only when configured.
 */
export function pageTrace(): TraceHeaders {
  pickUpMetaTags()
  if (href !== traceHref) newTrace()
  return trace!
}

/**
 * If `request` should carry trace headers and the caller set no
 * `sentry-trace`, start it on the trace source and add its headers to the bag
 * `headers()` gives (built only then).
 *
 * @param matched true when the build already proved the URL matches
 * @returns false when nothing was added (the request goes out as the caller wrote
 *   it); else what ends the request when the source wants to know, or true
 */
export function startTrace(request: TracedRequest, headers: () => HeaderBag, matched?: boolean): EndRequest | boolean {
  if (!watched) href = pageHref()
  try {
    let bag: HeaderBag
    return (
      (matched || shouldAttachHeaders(request.url, targets, href)) &&
      (bag = headers()).get('sentry-trace') == null &&
      (start ? start(request, bag) : (applyTraceHeaders(bag, pageTrace(), traceparent), true))
    )
  } catch {
    // Tracing must never break the request it decorates: it goes out as the caller wrote it.
    return false
  }
}
