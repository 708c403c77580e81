// unplugin-sentry-trace runtime: never rewritten
/**
 * Plugging in another trace source (the Sentry SDK, or your own). A source may
 * want to know when each request ends (`StartedRequest.end`): the code that
 * watches for that lives here, so an app on the page's own context ships none of it.
 */

import { END } from './axios.js'
import { applyTraceHeaders } from './headers.js'
import { installTraceSource, traceparent, type EndRequest, type EndTrackers, type StartedRequest, type TraceSource } from './context.js'

// `loadend` ends every request; the others, just before it, mark it failed.
const XHR_EVENTS = ['error', 'abort', 'timeout', 'loadend']

/** The request in flight on each XMLHttpRequest, and what stops watching it. */
const pending = /* @__PURE__ */ new WeakMap<XMLHttpRequest, EndRequest>()

const trackers: EndTrackers = {
  fetch(end, fetch, self, args) {
    const send = (): Promise<Response> => Reflect.apply(fetch, self, args)
    if (typeof end !== 'function') return send()
    let response: Promise<Response>
    try {
      response = send()
    } catch (error) {
      end({ error })
      throw error
    }
    Promise.resolve(response).then(
      (res) => end({ status: res.status }),
      (error: unknown) => end({ error }),
    )
    return response
  },
  xhr(xhr, end, send) {
    // open() drops a request still in flight without any event: it calls this without `send`.
    if (!send) return pending.get(xhr)?.({ error: new Error('re-opened') })
    if (typeof end !== 'function') return send()
    let failure: Event | undefined
    const onEvent = (event: Event) => {
      if (event.type !== 'loadend') failure = event
      else settle(failure ? { error: failure } : { status: xhr.status })
    }
    const settle: EndRequest = (outcome) => {
      pending.delete(xhr)
      for (const type of XHR_EVENTS) xhr.removeEventListener(type, onEvent)
      end(outcome)
    }
    for (const type of XHR_EVENTS) xhr.addEventListener(type, onEvent)
    pending.set(xhr, settle)
    try {
      send()
    } catch (error) {
      // A synchronous send() that fails throws instead of firing any event.
      pending.get(xhr)?.({ error })
      throw error
    }
  },
  axios(outcome, failed) {
    // Like fetch: a response, even a 4xx/5xx axios rejects, is an outcome with a status.
    const response = failed ? outcome?.response : outcome
    const end = outcome?.config?.[END]
    if (typeof end === 'function') end(response ? { status: response.status } : { error: outcome })
  },
}

/** Plug in another trace source; `undefined` goes back to the page's context (meta tags, else a fresh trace). */
export function setTraceSource(next: TraceSource | undefined): void {
  installTraceSource(
    next &&
      ((request, bag) => {
        const started = next.startRequest(request, { propagateTraceparent: !!traceparent })
        if (!started) return false
        const end = started.end && endOnce(started)
        try {
          applyTraceHeaders(bag, started.headers, traceparent)
        } catch (error) {
          // The request goes out without our headers: what was started ends with the error.
          end?.({ error })
          throw error
        }
        return end || true
      }),
    trackers,
  )
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
