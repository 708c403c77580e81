// instrumentation-client.ts of a Next.js app: @sentry/nextjs adds its browserTracingIntegration itself.
import * as Sentry from '@sentry/nextjs'
import { README_LINE, requestsOff, sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: requestsOff ? [Sentry.browserTracingIntegration(README_LINE)] : undefined })
run()
