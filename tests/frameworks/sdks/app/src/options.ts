// Sentry.init options every page shares: a DSN on the page's own server (its
// envelopes are recorded, not asserted), spans on, and the same
// tracePropagationTargets the plugin is given.
export const sentryOptions = {
  dsn: `${location.protocol}//public@${location.host}/1`,
  environment: 'sdk-test',
  tracesSampleRate: 1,
  tracePropagationTargets: [/^\/traced\//],
}

/**
 * `?off`: the page adds the README's line that turns the SDK's own request
 * instrumentation off (for the SDKs that let it be turned off).
 */
export const requestsOff = new URLSearchParams(location.search).has('off')
export const README_LINE = { traceFetch: false, traceXHR: false }
