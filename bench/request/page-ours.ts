/** The page with our runtime: raw loops and the plugin's rewritten ones, side by side. */

import { install } from './harness.js'
import { rawMatching, receiverRaw } from './raw-loops.js'
import { alwaysMatching, neverSite, receiverChecked, runtimeMatching, runtimeNonMatching } from './traced-loops.js'
import { MATCHING_URL, NON_MATCHING_URL } from './urls.js'

const api = { fetch: (input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init) }

install({
  raw: { loop: rawMatching, url: MATCHING_URL },
  tracedFetch: { loop: runtimeMatching, url: MATCHING_URL },
  tracedFetchNonMatching: { loop: runtimeNonMatching, url: NON_MATCHING_URL },
  alwaysTracedFetch: { loop: alwaysMatching, url: MATCHING_URL },
  never: { loop: neverSite, url: NON_MATCHING_URL },
  // An object of the app's own whose `fetch` ends in the same no-op.
  receiverOtherRaw: { loop: (n, url) => receiverRaw(api, n, url), url: MATCHING_URL },
  receiverOther: { loop: (n, url) => receiverChecked(api, n, url), url: MATCHING_URL },
  receiverGlobal: { loop: (n, url) => receiverChecked(globalThis, n, url), url: MATCHING_URL },
})
