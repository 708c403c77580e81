import { defineConfig } from 'vite'
import sentryTrace from 'unplugin-sentry-trace/vite'
import { backend } from './backend.js'

export default defineConfig({
  plugins: [
    sentryTrace({ tracePropagationTargets: [/^\/api/], report: 'sentry-trace-report.json' }),
    backend(),
  ],
})
