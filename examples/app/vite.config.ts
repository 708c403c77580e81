import { fileURLToPath } from 'node:url'
import sentryTrace from 'unplugin-sentry-trace/vite'
import { defineConfig } from 'vite'
import { traceOptions } from './trace-options.js'

const root = fileURLToPath(new URL('.', import.meta.url))

// `vite build -c examples/app/vite.config.ts` builds both pages into examples/app/dist.
export default defineConfig({
  root,
  logLevel: 'warn',
  plugins: [sentryTrace(traceOptions)],
  build: {
    rolldownOptions: {
      input: { index: `${root}index.html`, sentry: `${root}sentry.html` },
    },
  },
})
