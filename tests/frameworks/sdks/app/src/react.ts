import * as Sentry from '@sentry/react'
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { sentryOptions } from './options'
import { run } from './run'

Sentry.init({ ...sentryOptions, integrations: [Sentry.browserTracingIntegration()] })
createRoot(document.getElementById('app')!).render(createElement('p', null, 'react'))
run()
