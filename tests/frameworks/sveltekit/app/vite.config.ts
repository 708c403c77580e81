import adapter from '@sveltejs/adapter-node'
import { sveltekit } from '@sveltejs/kit/vite'
import sentryTrace from 'unplugin-sentry-trace/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [
    sentryTrace({ tracePropagationTargets: [/^\/api/], report: 'sentry-trace-report.json' }),
    sveltekit({ adapter: adapter() }),
  ],
})
