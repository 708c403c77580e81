/**
 * A trace source for the runtime tests: it answers every request with fixed
 * headers and records what it is told.
 */

import { setTraceSource, type RequestOutcome, type TraceHeaders, type TracedRequest } from '../../runtime/index.js'

export interface RecordedSource {
  requests: TracedRequest[]
  options: Array<{ propagateTraceparent: boolean }>
  outcomes: RequestOutcome[]
}

/** Plug in a source that sends `headers` and records each request, its options and how it ended. */
export function recordingSource(headers: TraceHeaders): RecordedSource {
  const recorded: RecordedSource = { requests: [], options: [], outcomes: [] }
  setTraceSource({
    startRequest(request, options) {
      recorded.requests.push(request)
      recorded.options.push(options)
      return { headers, end: (outcome) => void recorded.outcomes.push(outcome) }
    },
  })
  return recorded
}
