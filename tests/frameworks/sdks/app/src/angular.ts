// main.ts of an Angular app, before bootstrapApplication.
import * as Sentry from '@sentry/angular'
import { README_LINE, requestsOff, sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: [Sentry.browserTracingIntegration(requestsOff ? README_LINE : {})] })
run()
