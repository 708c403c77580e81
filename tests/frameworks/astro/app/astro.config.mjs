import node from '@astrojs/node'
import preact from '@astrojs/preact'
import { defineConfig } from 'astro/config'
import sentryTrace from 'unplugin-sentry-trace/vite'

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  vite: { plugins: [sentryTrace({ tracePropagationTargets: [/^\/api/], report: 'sentry-trace-report.json' })] },
})
