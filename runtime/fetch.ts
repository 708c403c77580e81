/**
 * `fetch` with trace headers, for call sites rewritten at build time (shared SPEC §3).
 * The caller's `init` (possibly frozen) and `Request` are never touched: headers go
 * into copies, and when nothing is added fetch gets the caller's arguments as they were.
 */

import { startTrace, trackers } from './context.js'
import { headerBag, type HeaderBag } from './headers.js'

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit]

/** fetch, adding trace headers when the URL matches `tracePropagationTargets` at run time. */
export function tracedFetch(...args: FetchArgs): Promise<Response> {
  return traceFetch(args)
}

/** fetch for a call site whose URL the build already proved to match. */
export function alwaysTracedFetch(...args: FetchArgs): Promise<Response> {
  return traceFetch(args, false)
}

function traceFetch(args: FetchArgs, check?: boolean): Promise<Response> {
  // Read at call time, so a polyfill or mock installed after this module loaded is used.
  const fetch = globalThis.fetch
  const [input, init] = args
  const request = input && typeof input === 'object' && 'headers' in input ? input : undefined
  const url = typeof input === 'string' ? input : request ? request.url : String((input as URL)?.href ?? input)
  const copy: Record<string, unknown> = {}
  const end = startTrace(
    { url, method: String(init?.method ?? request?.method ?? 'GET').toUpperCase(), transport: 'fetch' },
    (): HeaderBag => {
      // Every member fetch may read: WebIDL looks through the prototype chain, enumerable
      // or not (class getters, a Request used as init), and a patched fetch may read
      // others (`next`, `cf`).
      for (let from = typeof init === 'object' ? init : null; from && from !== Object.prototype; from = Object.getPrototypeOf(from)) {
        for (const key of Object.getOwnPropertyNames(from)) copy[key] = init![key as keyof RequestInit]
      }
      if (request) {
        // A non-empty init resets these on the Request fetch builds from the caller's.
        copy.referrer ??= request.referrer
        copy.referrerPolicy ??= request.referrerPolicy
      }
      // Same shape as the caller's: `Headers`, pairs (any iterable of them), or a plain object.
      const headers = copy.headers ?? request?.headers
      return typeof (headers as Headers)?.set === 'function'
        ? (copy.headers = new Headers(headers as Headers))
        : headerBag((copy.headers = headers && typeof headers === 'object' && Symbol.iterator in headers ? Array.from(headers as Iterable<unknown>) : { ...(headers as object) }))
    },
    check,
  )
  if (!end) return fetch(...args)
  return end === true ? fetch(input, copy) : trackers!.fetch(() => fetch(input, copy), end)
}
