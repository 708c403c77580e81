/**
 * Our rewritten call sites in an app that uses @sentry/browser: the plugin connects
 * the runtime to the SDK (headers from `getTraceData`, a span per request with
 * `?mode=spans`), and the SDK patches nothing: its fetch tracing is off as the
 * plugin's docs say, and so are its fetch/XHR breadcrumbs, so that only our path
 * is measured. Same modes and transport as page-sentry.ts.
 */

import { breadcrumbsIntegration, browserTracingIntegration, createTransport, init } from '@sentry/browser'
import { BENCH_TARGETS } from '../targets.js'
import { install } from './harness.js'
import { runtimeMatching, runtimeNonMatching } from './traced-loops.js'
import { MATCHING_URL, NON_MATCHING_URL } from './urls.js'

const mode = new URLSearchParams(location.search).get('mode')

init({
  dsn: 'http://public@127.0.0.1:9/1',
  transport: (options) => createTransport(options, () => Promise.resolve({})),
  integrations: [
    browserTracingIntegration({ instrumentPageLoad: false, instrumentNavigation: false, traceFetch: false, traceXHR: false }),
    breadcrumbsIntegration({ fetch: false, xhr: false }),
  ],
  tracePropagationTargets: BENCH_TARGETS,
  ...(mode === 'spans' ? { tracesSampleRate: 1 } : {}),
})

install({
  tracedFetch: { loop: runtimeMatching, url: MATCHING_URL },
  tracedFetchNonMatching: { loop: runtimeNonMatching, url: NON_MATCHING_URL },
})
