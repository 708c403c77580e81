// unplugin-sentry-trace runtime: never rewritten
/**
 * `const { fetch } = window` rewritten as `const { fetch } = traceFetchIn(window)`:
 * destructuring the global object reads its `fetch` as the traced function of that
 * fetch, and every other member as it is (read from the global object itself, so
 * getters see it as `this`). Any other object comes back unchanged.
 */

import { traceFetchFunction } from './fetch.js'

let view: object | undefined

export function traceFetchIn<T>(object: T): T {
  if (object !== globalThis) return object
  return (view ??= new Proxy(globalThis, {
    get: (global, key) => (key === 'fetch' ? traceFetchFunction(global.fetch) : Reflect.get(global, key)),
  })) as T
}
