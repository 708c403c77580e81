import * as Sentry from '@sentry/browser'
import { README_LINE, requestsOff, sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: [Sentry.browserTracingIntegration(requestsOff ? README_LINE : {})] })
run()
