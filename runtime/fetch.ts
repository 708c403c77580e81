/**
 * `fetch` with trace headers, for call sites rewritten at build time (shared SPEC §3).
 * The caller's `init` (possibly frozen) and `Request` are never touched: headers go
 * into copies, and when nothing is added fetch gets the caller's arguments as they were.
 */

import { startTrace } from './context.js'
import { headerBag } from './headers.js'

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit]

// WebIDL reads dictionary members through the prototype chain too, so a spread
// alone could drop members an init object inherits.
const INIT_KEYS =
  'method headers body referrer referrerPolicy mode credentials cache redirect integrity keepalive signal duplex priority window'.split(
    ' ',
  )

/** fetch, adding trace headers when the URL matches `tracePropagationTargets` at run time. */
export function tracedFetch(...args: FetchArgs): Promise<Response> {
  return traceFetch(args, true)
}

/** fetch for a call site whose URL the build already proved to match. */
export function alwaysTracedFetch(...args: FetchArgs): Promise<Response> {
  return traceFetch(args, false)
}

function traceFetch(args: FetchArgs, check: boolean): Promise<Response> {
  // Read at call time, so a polyfill or mock installed after this module loaded is used.
  const fetch = globalThis.fetch
  const [input, init] = args
  const request = input && typeof input === 'object' && 'headers' in input ? input : undefined
  const url = typeof input === 'string' ? input : request ? request.url : (input as URL)?.href ?? String(input)
  const copy: Record<string, unknown> = {}
  const end = startTrace(
    { url, method: String(init?.method ?? request?.method ?? 'GET').toUpperCase(), transport: 'fetch' },
    () => {
      Object.assign(copy, init)
      for (const key of INIT_KEYS) if (init && key in init) copy[key] = init[key as keyof RequestInit]
      if (request) {
        // A non-empty init resets these on the Request fetch builds from the caller's.
        copy.referrer ??= request.referrer
        copy.referrerPolicy ??= request.referrerPolicy
      }
      return headerBag((copy.headers = copyHeaders(copy.headers ?? request?.headers)))
    },
    check,
  )
  if (!end) return fetch(...args)
  let response: Promise<Response>
  try {
    response = fetch(input, copy)
  } catch (error) {
    end({ error })
    throw error
  }
  Promise.resolve(response).then(
    (res) => end({ status: res.status }),
    (error: unknown) => end({ error }),
  )
  return response
}

/** A copy of the caller's headers in the same shape: `Headers`, pairs, or a plain object. */
function copyHeaders(headers: unknown): object {
  return (headers as Headers)?.set
    ? new Headers(headers as Headers)
    : headers && typeof headers === 'object' && Symbol.iterator in headers
      ? Array.from(headers as Iterable<unknown>)
      : { ...(headers as object) }
}
