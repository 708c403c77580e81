// unplugin-sentry-trace runtime: never rewritten
/**
 * `fetch` with trace headers, for call sites rewritten at build time.
 * The caller's `init` (possibly frozen) and `Request` are never touched: headers go
 * into copies, and when nothing is added fetch gets the caller's arguments as they were.
 * The caller's `this` is passed on, so a call fetch refuses (`fetch.call(notWindow, url)`:
 * "Illegal invocation") is refused the same way.
 */

import { startTrace, trackers } from './context.js'
import { headerBag, type HeaderBag } from './headers.js'

type Fetch = typeof fetch
type FetchArgs = [input: RequestInfo | URL, init?: RequestInit]

/** fetch, adding trace headers when the URL matches `tracePropagationTargets` at run time. */
export function tracedFetch(this: unknown, ...args: FetchArgs): Promise<Response> {
  // Read at call time, so a polyfill or mock installed after this module loaded is used.
  return traceFetch(globalThis.fetch, this, args)
}

/** fetch for a call site whose URL the build already proved to match. */
export function alwaysTracedFetch(this: unknown, ...args: FetchArgs): Promise<Response> {
  return traceFetch(globalThis.fetch, this, args, true)
}

/** traced function -> the function it calls, and back. */
const originals = /* @__PURE__ */ new WeakMap<object, Fetch>()
const tracedOf = /* @__PURE__ */ new WeakMap<object, Fetch>()

/**
 * `fetch` used as a value (`const saved = window.fetch`): the traced function of `f`,
 * one per `f` so saved copies still compare equal, which calls `f` itself (not
 * whatever the global holds later: an app that replaces `window.fetch` with a wrapper
 * around the saved one must not call itself) with the caller's `this` and arguments,
 * adding trace headers as `tracedFetch` does. Not a function (fetch absent), or
 * already traced: `f` as it is.
 *
 * A Proxy of `f` with only a call trap: every property (`name`, `length`, markers
 * such as whatwg-fetch's `polyfill`), `new`, and `toString()` are `f`'s own, and
 * `Function.prototype.toString` shows native code as it does for `f` (without the name).
 */
export function traceFetchFunction<T>(f: T): T {
  if (typeof f !== 'function' || originals.has(f)) return f
  let traced = tracedOf.get(f)
  if (!traced) {
    traced = new Proxy(f as unknown as Fetch, {
      apply: (target, self, args) => traceFetch(target, self, args as FetchArgs),
      get: (target, key) => (key === 'toString' ? () => target.toString() : Reflect.get(target, key)),
    })
    tracedOf.set(f, traced)
    originals.set(traced, f as unknown as Fetch)
  }
  return traced as T
}

/** What a write to the global's `fetch` stores instead of `v`: the function `v` traces, else `v`. */
export function untraceFetchFunction<T>(v: T): T {
  return (originals.get(v as object) as T) ?? v
}

/** `root.fetch` read from an object the build could not identify: traced only when it is the global's fetch. */
export function traceFetchIfGlobal<T>(v: T): T {
  return typeof v === 'function' && v === globalThis.fetch ? traceFetchFunction(v) : v
}

/** Stands in for the global object in `traceFetchOn(globalThis).fetch(...)`. */
const onGlobal = {
  fetch: (...args: FetchArgs): Promise<Response> => traceFetch(globalThis.fetch, globalThis, args),
}

/**
 * `o.fetch(...)` on an object the build could not identify becomes
 * `traceFetchOn(o).fetch(...)`: `o` itself unless it is the global object, whose
 * `fetch` is then called (read at call time, with the global as `this`) with trace headers.
 * `window[key](...)` becomes `traceFetchOn(window, key)[key](...)`: the same when `key` is 'fetch'.
 */
export function traceFetchOn<T>(o: T, key: unknown = 'fetch'): T {
  return (o === globalThis && key === 'fetch' ? onGlobal : o) as T
}

function traceFetch(fetch: Fetch, self: unknown, args: FetchArgs, matched?: boolean): Promise<Response> {
  if (typeof fetch !== 'function') throw new ReferenceError('fetch is not defined')
  const [input, init] = args
  const copy: Record<string, unknown> = {}
  let end: ReturnType<typeof startTrace> | undefined
  try {
    const request = input && typeof input === 'object' && 'headers' in input ? input : undefined
    end = startTrace(
      {
        // What fetch itself makes of a URL or any other object: its string conversion.
        url: String(request ? request.url : input),
        method: String(init?.method ?? request?.method ?? 'GET').toUpperCase(),
        transport: 'fetch',
      },
      (): HeaderBag => {
        // Arguments fetch refuses go to it untouched, so the caller gets fetch's own
        // error: no input at all, an init that is not an object, or headers that are
        // not one (`headers: null` included). Throwing here sends the call as it was.
        if (!args.length || (init != null && Object(init) !== init)) throw 0
        // Every member fetch may read: WebIDL looks through the prototype chain, enumerable
        // or not (class getters, a Request used as init), and a patched fetch may read
        // others (`next`, `cf`).
        for (let from = init; from && from !== Object.prototype; from = Object.getPrototypeOf(from)) {
          for (const key of Object.getOwnPropertyNames(from)) copy[key] = init![key as keyof RequestInit]
        }
        if (request) {
          // A non-empty init resets these on the Request fetch builds from the caller's.
          copy.referrer ??= request.referrer
          copy.referrerPolicy ??= request.referrerPolicy
        }
        // Same shape as the caller's: `Headers`, pairs (any iterable of them), or a plain object.
        const headers = copy.headers === undefined ? request?.headers : copy.headers
        if (headers !== undefined && Object(headers) !== headers) throw 0
        return typeof (headers as Headers)?.set === 'function'
          ? (copy.headers = new Headers(headers as Headers))
          : headerBag((copy.headers = headers && Symbol.iterator in (headers as object) ? Array.from(headers as Iterable<unknown>) : { ...(headers as object) }))
      },
      matched,
    )
  } catch {
    // Converting the input or the method threw, as it will again in fetch, which rejects.
  }
  if (end) args[1] = copy
  return trackers ? trackers.fetch(end, fetch, self, args) : Reflect.apply(fetch, self, args)
}
