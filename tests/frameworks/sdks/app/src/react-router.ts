// entry.client.tsx of a React Router app: reactRouterTracingIntegration builds browserTracingIntegration itself.
import * as Sentry from '@sentry/react-router'
import { sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: [Sentry.reactRouterTracingIntegration()] })
run()
