import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import sentryTrace from 'unplugin-sentry-trace/vite'

const traceOptions = { tracePropagationTargets: [/^\/api/] }

// The service worker is built by vite-plugin-pwa in a build of its own, with the
// plugins of `injectManifest.plugins` (Rollup-level plugins of that build).
export default defineConfig({
  plugins: [
    sentryTrace({ ...traceOptions, report: 'sentry-trace-report.json' }),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.js',
      injectRegister: false,
      manifest: false,
      injectManifest: { plugins: [sentryTrace({ ...traceOptions, report: 'sentry-trace-sw-report.json' })] },
    }),
  ],
})
