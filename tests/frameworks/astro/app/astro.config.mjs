import node from '@astrojs/node'
import preact from '@astrojs/preact'
import vue from '@astrojs/vue'
import { defineConfig } from 'astro/config'
import sentryTrace from 'unplugin-sentry-trace/vite'

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact({ include: ['**/*.tsx'] }), vue()],
  vite: { plugins: [sentryTrace({ tracePropagationTargets: [/^\/api/], report: 'sentry-trace-report.json' })] },
})
