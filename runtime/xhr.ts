/**
 * `new TracedXMLHttpRequest()` in place of `new XMLHttpRequest()` (shared SPEC §3).
 * It is a subclass of whatever `globalThis.XMLHttpRequest` is when constructed, so
 * instances stay `instanceof XMLHttpRequest` and fakes installed later (sinon, MSW)
 * are honoured; the built-in prototype is never touched.
 */

import { startTrace, type EndRequest, type TracedRequest } from './context.js'
import type { HeaderBag } from './headers.js'

const subclasses = /* @__PURE__ */ new WeakMap<typeof XMLHttpRequest, typeof XMLHttpRequest>()

// `loadend` ends every request; the others, just before it, mark it failed.
const EVENTS = ['error', 'abort', 'timeout', 'loadend']

function traced(Base: typeof XMLHttpRequest): typeof XMLHttpRequest {
  return class extends Base {
    #request?: TracedRequest
    /** What the caller set, lowercase name to combined value, as the request will carry it. */
    #headers = new Map<string, string>()
    #pending?: EndRequest

    override open(method: string, url: string | URL): void {
      // Argument count matters: open(m, u, undefined) is a synchronous request.
      Reflect.apply(super.open, this, arguments)
      // A request still in flight is dropped by open() without any event.
      this.#pending?.({ error: new Error('re-opened') })
      this.#request = { url: String(url), method: String(method).toUpperCase(), transport: 'xhr' }
      this.#headers.clear()
    }

    override setRequestHeader(name: string, value: string): void {
      super.setRequestHeader(name, value)
      const key = String(name).toLowerCase()
      const previous = this.#headers.get(key)
      this.#headers.set(key, previous === undefined ? String(value) : `${previous}, ${value}`)
    }

    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      const request = this.#request
      const end =
        request &&
        !this.#pending &&
        startTrace(request, (): HeaderBag => ({
          get: (name) => this.#headers.get(name),
          append: (name, value) => {
            try {
              super.setRequestHeader(name, value)
            } catch {
              // InvalidStateError: the caller sends from a state where headers are closed; send() reports it.
            }
          },
        }))
      if (end) {
        let failure: Event | undefined
        const settle: EndRequest = (outcome) => {
          this.#pending = undefined
          for (const type of EVENTS) this.removeEventListener(type, onEvent)
          end(outcome)
        }
        const onEvent = (event: Event) => {
          if (event.type !== 'loadend') failure = event
          else settle(failure ? { error: failure } : { status: this.status })
        }
        for (const type of EVENTS) this.addEventListener(type, onEvent)
        this.#pending = settle
      }
      try {
        Reflect.apply(super.send, this, arguments)
      } catch (error) {
        // A synchronous request that fails throws instead of firing events.
        if (end) this.#pending?.({ error })
        throw error
      }
    }
  }
}

function TracedXHR(): XMLHttpRequest {
  const Base = globalThis.XMLHttpRequest
  if (typeof Base !== 'function') throw new ReferenceError('XMLHttpRequest is not defined')
  let Traced = subclasses.get(Base)
  if (!Traced) subclasses.set(Base, (Traced = traced(Base)))
  return new Traced()
}

/**
 * Use with `new` like `XMLHttpRequest`; the subclass is built on first use because
 * server-side rendering has no `XMLHttpRequest` to extend at load time.
 */
export const TracedXMLHttpRequest = TracedXHR as unknown as { new (): XMLHttpRequest }
