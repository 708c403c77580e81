import { reactRouter } from '@react-router/dev/vite'
import { defineConfig } from 'vite'
import sentryTrace from 'unplugin-sentry-trace/vite'

export default defineConfig({
  plugins: [sentryTrace({ tracePropagationTargets: [/^\/api/] }), reactRouter()],
})
