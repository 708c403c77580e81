import * as Sentry from '@sentry/vue'
import { createApp, h } from 'vue'
import { README_LINE, requestsOff, sentryOptions } from './options'
import { run } from './run'

const app = createApp({ render: () => h('p', 'vue') })
Sentry.init({ app, ...sentryOptions, integrations: [Sentry.browserTracingIntegration(requestsOff ? README_LINE : {})] })
app.mount('#app')
run()
