import * as Sentry from '@sentry/nextjs'

// No SENTRY_DSN in the tests: the server SDK loads and sends nothing.
Sentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 1 })
