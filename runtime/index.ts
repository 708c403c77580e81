// unplugin-sentry-trace runtime: never rewritten
/**
 * What rewritten call sites import. Each transport is its own module so an app
 * that only uses fetch ships no XMLHttpRequest or axios code.
 */

export { matchesSomeTarget, shouldAttachHeaders, type TracePropagationTarget } from './match.js'
export { setTraceSource } from './source.js'
export {
  configure,
  pickUpMetaTags,
  type RequestOutcome,
  type RuntimeConfig,
  type StartedRequest,
  type TraceHeaders,
  type TraceSource,
  type TracedRequest,
} from './context.js'
export {
  alwaysTracedFetch,
  traceFetchFunction,
  traceFetchIfGlobal,
  traceFetchOn,
  tracedFetch,
  untraceFetchFunction,
} from './fetch.js'
export { traceXhrIfGlobal, TracedXMLHttpRequest } from './xhr.js'
export { traceAxios } from './axios.js'
export { traceFetchIn } from './global-view.js'
export { TracedSharedWorker, TracedWorker, workerUrlWithTrace } from './worker-hand-off.js'
