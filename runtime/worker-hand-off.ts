// unplugin-sentry-trace runtime: never rewritten
/**
 * `new TracedWorker(url, options)` in place of `new Worker(url, options)` (and
 * `TracedSharedWorker` for `SharedWorker`): a worker has no meta tags, so the page
 * hands it the trace its next request would join, in the fragment of the worker's
 * URL (`#sentry-trace=...&baggage=...`), which ./worker.ts reads in the worker.
 * A fragment never reaches the server and does not change which script loads.
 *
 * Called with `new`, each returns the object the global constructor of this moment
 * makes (`instanceof Worker` holds; a fake installed later is used); nothing global
 * is patched. A URL that has a fragment already, or that is not a string or a `URL`
 * (a Trusted Types `TrustedScriptURL`), goes through unchanged: that worker starts
 * its own trace.
 */

import { pageTraceHeaders } from './context.js'

/** `url` with the page's trace in its fragment, or `url` itself. */
export function workerUrlWithTrace<T>(url: T): T | string {
  const href = typeof url === 'string' ? url : url instanceof URL ? url.href : undefined
  const headers = href === undefined || href.includes('#') ? undefined : pageTraceHeaders()
  if (!headers) return url
  const fragment = new URLSearchParams({ 'sentry-trace': headers['sentry-trace'] })
  if (headers.baggage) fragment.set('baggage', headers.baggage)
  return href + '#' + fragment
}

/** The global constructor `name`, given the arguments as the caller wrote them (their count included). */
function construct(name: 'Worker' | 'SharedWorker', args: unknown[]): object {
  if (args.length) args[0] = workerUrlWithTrace(args[0])
  const Constructor = globalThis[name] as unknown as new (...args: unknown[]) => object
  return new Constructor(...args)
}

export function TracedWorker(...args: unknown[]): Worker {
  return construct('Worker', args) as Worker
}

export function TracedSharedWorker(...args: unknown[]): SharedWorker {
  return construct('SharedWorker', args) as SharedWorker
}
