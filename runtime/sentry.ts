// unplugin-sentry-trace runtime: never rewritten
/**
 * Sentry SDK interop: the requests the build rewrote take their
 * trace headers from the app's Sentry browser SDK and are recorded as its
 * `http.client` spans, the way the SDK's own fetch/XHR instrumentation records them
 * (`instrumentFetchRequest` in @sentry/core and `xhrCallback` in @sentry/browser,
 * v11), while the SDK patches neither `fetch` nor `XMLHttpRequest`. The app's SDK
 * is handed in, so nothing of Sentry is imported (or bundled) from here.
 */

import { pageTrace, type TraceSource, type TracedRequest } from './context.js'
import { setTraceSource } from './source.js'
import { pageHref } from './match.js'

/** The part of a Sentry span used here. */
export interface SentrySpan {
  end(): void
  setStatus(status: { code: 0 | 1 | 2; message?: string }): unknown
}

/** The part of a Sentry client used here. */
export interface SentryClient {
  getOptions(): { tracesSampleRate?: number | null; tracesSampler?: unknown; traceLifecycle?: string }
  recordDroppedEvent?(reason: 'no_parent_span', category: 'span'): void
}

/**
 * What is used of the SDK: `@sentry/browser` exports all of it, and so do the
 * framework SDKs that re-export it (`@sentry/react`, `@sentry/vue`, ...). Pass the
 * functions themselves rather than `import * as Sentry`, so the bundler can still
 * drop the SDK's unused exports:
 * `connectSentry({ getClient, getActiveSpan, startInactiveSpan, getTraceData, setHttpStatus })`.
 */
export interface SentryApi<Span extends SentrySpan = SentrySpan> {
  getClient(): SentryClient | undefined
  getActiveSpan(): Span | undefined
  startInactiveSpan(options: { name: string; attributes: Record<string, string | number | undefined> }): Span
  getTraceData(options: { span?: Span; propagateTraceparent?: boolean }): {
    'sentry-trace'?: string
    baggage?: string
    traceparent?: string
  }
  setHttpStatus(span: Span, httpStatus: number): void
}

/** The names of {@link SentryApi}, for code that imports them from an SDK module. */
export const SENTRY_API = ['getClient', 'getActiveSpan', 'startInactiveSpan', 'getTraceData', 'setHttpStatus'] as const

// @sentry/core SPAN_STATUS_ERROR, with the message its fetch/XHR spans get on a network error.
const NETWORK_ERROR = { code: 2, message: 'internal_error' } as const

/**
 * A trace source backed by the Sentry SDK. Until the SDK has an enabled client
 * (before `Sentry.init`, or without a DSN) requests fall back to the page's own
 * context, so they still continue the backend's trace from the meta tags.
 */
export function sentryTraceSource<Span extends SentrySpan>(sentry: SentryApi<Span>): TraceSource {
  for (const name of SENTRY_API) {
    if (typeof sentry?.[name] !== 'function') {
      throw new TypeError(`[unplugin-sentry-trace] connectSentry: the Sentry SDK given has no ${name}() (Sentry JavaScript SDK v8 or later is needed)`)
    }
  }
  return {
    startRequest(request, options) {
      const client = sentry.getClient()
      if (!client) return { headers: pageTrace() }
      const { tracesSampleRate, tracesSampler, traceLifecycle } = client.getOptions()
      // The SDK's own conditions: spans are enabled, and there is a parent span or
      // spans are streamed (then a request span may stand alone).
      const streamed = traceLifecycle === 'stream'
      const hasParent = !!sentry.getActiveSpan()
      const spansEnabled = tracesSampleRate != null || !!tracesSampler
      const span = spansEnabled && (hasParent || streamed) ? sentry.startInactiveSpan(spanOptions(request, streamed)) : undefined
      if (spansEnabled && !span) client.recordDroppedEvent?.('no_parent_span', 'span')
      // A span dropped by `ignoreSpans` must not be the parent the server sees.
      const ignored = (span as { dropReason?: string } | undefined)?.dropReason === 'ignored'
      const data = sentry.getTraceData({ span: ignored && hasParent ? undefined : span, propagateTraceparent: options.propagateTraceparent })
      const sentryTrace = data['sentry-trace']
      if (!sentryTrace) {
        // A client that is not enabled: the SDK would send nothing, the page context still knows the trace.
        span?.end()
        return { headers: pageTrace() }
      }
      return {
        headers: { 'sentry-trace': sentryTrace, baggage: data.baggage, traceparent: data.traceparent },
        end: span
          ? (outcome) => {
              if (outcome.status !== undefined) sentry.setHttpStatus(span, outcome.status)
              else span.setStatus(NETWORK_ERROR)
              span.end()
            }
          : undefined,
      }
    },
  }
}

/**
 * Make the rewritten requests use the app's Sentry SDK (see {@link SentryApi}).
 * Call it once, before the first request, in the module that calls `Sentry.init`
 * (before or after it). Calling it again replaces the previous source.
 */
export function connectSentry<Span extends SentrySpan>(sentry: SentryApi<Span>): void {
  setTraceSource(sentryTraceSource(sentry))
}

/**
 * Name and attributes as the SDK gives its own request spans (v11): with streamed
 * spans the name is `METHOD host`, kept low-cardinality, else `METHOD url` without
 * query and fragment. Query strings are not recorded at all: they may carry tokens,
 * and the SDK's filtering of them is not public API.
 */
function spanOptions(request: TracedRequest, streamed: boolean): { name: string; attributes: Record<string, string | number | undefined> } {
  const { method } = request
  let url: URL | undefined
  try {
    url = new URL(request.url, pageHref() || undefined)
  } catch {}
  const web = url && /^https?:$/.test(url.protocol) ? url : undefined
  // The SDK's test: a URL is absolute when it has `scheme://` or starts with `//`.
  const relative = request.url.indexOf('://') <= 0 && !request.url.startsWith('//')
  const path = web ? (relative ? web.pathname : web.origin + web.pathname) : request.url.split(/[?#]/, 1)[0]
  return {
    name: streamed ? (web ? `${method} ${web.hostname}` : method) : `${method} ${path}`,
    attributes: {
      type: request.transport === 'fetch' ? 'fetch' : 'xhr',
      'http.request.method': method,
      'url.full': web ? web.origin + web.pathname : undefined,
      'url.domain': web?.hostname,
      'server.address': web?.hostname,
      'server.port': web?.port ? Number(web.port) : undefined,
      'sentry.origin': 'auto.http.browser',
      'sentry.op': 'http.client',
    },
  }
}
