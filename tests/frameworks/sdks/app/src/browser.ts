import * as Sentry from '@sentry/browser'
import { sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: [Sentry.browserTracingIntegration()] })
run()
