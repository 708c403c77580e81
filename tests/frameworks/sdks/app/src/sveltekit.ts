// hooks.client.ts of a SvelteKit app: @sentry/sveltekit adds its browserTracingIntegration itself.
import * as Sentry from '@sentry/sveltekit'
import { sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions })
run()
