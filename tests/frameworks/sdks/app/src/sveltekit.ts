// hooks.client.ts of a SvelteKit app: @sentry/sveltekit adds its browserTracingIntegration itself.
import * as Sentry from '@sentry/sveltekit'
import { README_LINE, requestsOff, sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: requestsOff ? [Sentry.browserTracingIntegration(README_LINE)] : undefined })
run()
