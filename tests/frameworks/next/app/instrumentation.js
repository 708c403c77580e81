import * as Sentry from '@sentry/nextjs'

// The server and edge halves of @sentry/nextjs's setup, as its docs say.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./sentry.server.config.js')
  if (process.env.NEXT_RUNTIME === 'edge') await import('./sentry.edge.config.js')
}

export const onRequestError = Sentry.captureRequestError
