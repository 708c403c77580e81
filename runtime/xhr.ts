// unplugin-sentry-trace runtime: never rewritten
/**
 * `new TracedXMLHttpRequest()` in place of `new XMLHttpRequest()`.
 * It is a subclass of whatever `globalThis.XMLHttpRequest` is when constructed, so
 * instances stay `instanceof XMLHttpRequest` and fakes installed later (sinon, MSW)
 * are honoured; the built-in prototype is never touched.
 */

import { startTrace, trackers, type TracedRequest } from './context.js'
import { headerBag } from './headers.js'

const subclasses = /* @__PURE__ */ new WeakMap<typeof XMLHttpRequest, typeof XMLHttpRequest>()

function traced(Base: typeof XMLHttpRequest): typeof XMLHttpRequest {
  const Traced = class extends Base {
    #request?: TracedRequest
    /** What the caller set since `open()` (before it, `setRequestHeader` throws), as name-value pairs. */
    #headers!: Array<[string, string]>

    override open(method: string, url: string | URL): void {
      // Argument count matters: open(m, u, undefined) is a synchronous request.
      super.open(...(arguments as unknown as [string, string]))
      trackers?.xhr(this)
      this.#request = { url: String(url), method: String(method).toUpperCase(), transport: 'xhr' }
      this.#headers = []
    }

    override setRequestHeader(name: string, value: string): void {
      super.setRequestHeader(name, value)
      this.#headers.push([name, String(value)])
    }

    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      const request = this.#request
      // Only the first send() after open() sends; later ones throw InvalidStateError.
      this.#request = undefined
      const end =
        request &&
        startTrace(request, () => ({
          get: headerBag(this.#headers).get,
          append: (name, value) => {
            try {
              // Through the instance, as the caller's own headers go: a tracer that wraps
              // this request's setRequestHeader (the Sentry SDK does, in open()) sees the
              // trace is set and adds no second one.
              this.setRequestHeader(name, value)
            } catch {
              // InvalidStateError: the caller sends from a state where headers are closed; send() reports it.
            }
          },
        }))
      if (trackers) trackers.xhr(this, end, () => super.send(...(arguments as unknown as [])))
      else super.send(...(arguments as unknown as []))
    }
  }
  // Instances say they were made by the global's constructor, as the original's were
  // (`xhr.constructor === XMLHttpRequest`, jQuery and feature tests compare it).
  // (An assignment keeps the class prototype's own `constructor` non-enumerable, as it was.)
  Traced.prototype.constructor = Base
  return Traced
}

/**
 * Use with `new` like `XMLHttpRequest`; the subclass is built on first use because
 * server-side rendering has no `XMLHttpRequest` to extend at load time. The
 * constructor's arguments go to the one it extends: the browser's ignores them, a
 * fake or polyfill may not.
 */
export const TracedXMLHttpRequest = function TracedXHR(...args: unknown[]): XMLHttpRequest {
  // Anything but a function comes back as it is.
  const Traced = traceXhrIfGlobal(globalThis.XMLHttpRequest as unknown)
  if (typeof Traced !== 'function') throw new ReferenceError('XMLHttpRequest is not defined')
  return new (Traced as new (...args: unknown[]) => XMLHttpRequest)(...args)
} as unknown as { new (...args: unknown[]): XMLHttpRequest }

/**
 * `new (traceXhrIfGlobal(root.XMLHttpRequest))()` where the build could not tell
 * what `root` is, and `class JsonRequest extends traceXhrIfGlobal(XMLHttpRequest)`:
 * the traced subclass of `C` when `C` is the global's `XMLHttpRequest`, else `C`.
 */
export function traceXhrIfGlobal<T>(C: T): T {
  if (typeof C !== 'function' || C !== (globalThis.XMLHttpRequest as unknown)) return C
  let Traced = subclasses.get(C as unknown as typeof XMLHttpRequest)
  if (!Traced) subclasses.set(C as unknown as typeof XMLHttpRequest, (Traced = traced(C as unknown as typeof XMLHttpRequest)))
  return Traced as T
}
