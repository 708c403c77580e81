// sentry.client.config.ts of a Nuxt app, then what the @sentry/nuxt module's client
// plugin does when the app starts (it adds browserTracingIntegration with the app's router).
import * as Sentry from '@sentry/nuxt'
import { sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions })
Sentry.getClient()?.addIntegration(Sentry.browserTracingIntegration({ routeLabel: 'path' }))
run()
