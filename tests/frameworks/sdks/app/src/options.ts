// Sentry.init options every page shares: a DSN on the page's own server (its
// envelopes are recorded, not asserted), spans on, and the same
// tracePropagationTargets the plugin is given.
export const sentryOptions = {
  dsn: `${location.protocol}//public@${location.host}/1`,
  environment: 'sdk-test',
  tracesSampleRate: 1,
  tracePropagationTargets: [/^\/traced\//],
}
