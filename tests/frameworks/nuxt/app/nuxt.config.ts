import sentryTrace from 'unplugin-sentry-trace/vite'

export default defineNuxtConfig({
  compatibilityDate: '2026-01-01',
  devtools: { enabled: false },
  telemetry: false,
  vite: {
    plugins: [sentryTrace({ tracePropagationTargets: [/^\/api/], report: 'sentry-trace-report.json' })],
  },
})
