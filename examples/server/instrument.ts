// Loaded with `node --import` before the servers, so @sentry/node is set up before
// `http` and `express` are imported and can instrument them.
import * as Sentry from '@sentry/node'

Sentry.init({
  dsn: process.env.SENTRY_DSN,
  environment: 'example',
  tracesSampleRate: 1,
})
