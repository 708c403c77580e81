// main.ts of an Angular app, before bootstrapApplication.
import * as Sentry from '@sentry/angular'
import { sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: [Sentry.browserTracingIntegration()] })
run()
