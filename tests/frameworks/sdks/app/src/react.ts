import * as Sentry from '@sentry/react'
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { README_LINE, requestsOff, sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: [Sentry.browserTracingIntegration(requestsOff ? README_LINE : {})] })
createRoot(document.getElementById('app')!).render(createElement('p', null, 'react'))
run()
