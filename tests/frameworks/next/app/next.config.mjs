import { withSentryTrace } from 'unplugin-sentry-trace/next'

// The test builds with each bundler into its own folder, and reports next to it;
// WITHOUT_PLUGIN gives the same app without the plugin, to compare with.
const distDir = process.env.NEXT_DIST_DIR || '.next'
// The app is installed inside another project's folder: it is its own root.
const root = import.meta.dirname
// Strict mode runs effects twice in next dev: the test counts each request.
const nextConfig = { distDir, reactStrictMode: false, outputFileTracingRoot: root, turbopack: { root } }

export default process.env.WITHOUT_PLUGIN
  ? nextConfig
  : withSentryTrace(nextConfig, {
      tracePropagationTargets: [/^\/api\//],
      report: `${distDir}-sentry-trace-report.json`,
    })
