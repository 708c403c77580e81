/**
 * The page with @sentry/browser patching fetch. `?mode=spans` records a span per
 * request (tracesSampleRate 1, v11's default span streaming); `?mode=propagation`
 * only propagates (no tracesSampleRate). Pageload and navigation spans are off so
 * every batch sees the same state. Envelopes go to a transport that drops them.
 */

import { browserTracingIntegration, createTransport, init } from '@sentry/browser'
import { install } from './harness.js'
import { rawMatching, rawNonMatching } from './raw-loops.js'
import { BENCH_TARGETS } from '../targets.js'
import { MATCHING_URL, NON_MATCHING_URL } from './urls.js'

const mode = new URLSearchParams(location.search).get('mode')

init({
  dsn: 'http://public@127.0.0.1:9/1',
  transport: (options) => createTransport(options, () => Promise.resolve({})),
  integrations: [browserTracingIntegration({ instrumentPageLoad: false, instrumentNavigation: false })],
  tracePropagationTargets: BENCH_TARGETS,
  ...(mode === 'spans' ? { tracesSampleRate: 1 } : {}),
})

install({
  sdk: { loop: rawMatching, url: MATCHING_URL },
  sdkNonMatching: { loop: rawNonMatching, url: NON_MATCHING_URL },
})
