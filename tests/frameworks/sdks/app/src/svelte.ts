import * as Sentry from '@sentry/svelte'
import { sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: [Sentry.browserTracingIntegration()] })
run()
