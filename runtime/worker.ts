// unplugin-sentry-trace runtime: never rewritten
/**
 * Imported first thing in a worker's entry: the worker continues the trace its page
 * handed over in the fragment of the worker's URL (./worker-hand-off.ts), read once,
 * as a page reads its meta tags. A worker started without one (by code the plugin did
 * not rewrite, or with a URL that had a fragment of its own) starts its own trace.
 * Outside a worker (a `document` is there) it does nothing: the page reads its tags.
 */

import { pickUpMetaTags } from './context.js'

if (!globalThis.document && globalThis.location) {
  const handedOver = new URLSearchParams(globalThis.location.hash.slice(1))
  pickUpMetaTags((name) => handedOver.get(name) ?? undefined)
}
