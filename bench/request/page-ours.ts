/** The page with our runtime: raw loops and the plugin's rewritten ones, side by side. */

import { install } from './harness.js'
import { rawMatching } from './raw-loops.js'
import { alwaysMatching, neverSite, runtimeMatching, runtimeNonMatching } from './traced-loops.js'
import { MATCHING_URL, NON_MATCHING_URL } from './urls.js'

install({
  raw: { loop: rawMatching, url: MATCHING_URL },
  tracedFetch: { loop: runtimeMatching, url: MATCHING_URL },
  tracedFetchNonMatching: { loop: runtimeNonMatching, url: NON_MATCHING_URL },
  alwaysTracedFetch: { loop: alwaysMatching, url: MATCHING_URL },
  never: { loop: neverSite, url: NON_MATCHING_URL },
})
