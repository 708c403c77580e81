import * as Sentry from '@sentry/nextjs'

// Set up as @sentry/nextjs's docs say for Next.js 16 (request instrumentation on), with the
// plugin's targets. The DSN names the page's own server and envelopes go to the app's
// `/envelopes` route (tunnel): nothing leaves the machine. The plugin makes this file
// read the page's meta tags first.
Sentry.init({
  dsn: `${location.protocol}//public@${location.host}/1`,
  tunnel: '/envelopes',
  tracesSampleRate: 1,
  tracePropagationTargets: [/^\/api\//],
})

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart
