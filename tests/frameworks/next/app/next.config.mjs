// @sentry/nextjs 11 exports its build-time wrapper from `/config` (its main entry has none).
import { withSentryConfig } from '@sentry/nextjs/config'
import { withSentryTrace } from 'unplugin-sentry-trace/next'

// The test builds with each bundler into its own folder, and reports next to it;
// WITHOUT_PLUGIN gives the same app (with @sentry/nextjs) without the plugin, to compare with.
const distDir = process.env.NEXT_DIST_DIR || '.next'
// The app is installed inside another project's folder: it is its own root.
const root = import.meta.dirname
// Strict mode runs effects twice in next dev: the test counts each request.
const nextConfig = { distDir, reactStrictMode: false, outputFileTracingRoot: root, turbopack: { root } }

// @sentry/nextjs's build options, offline: no source map upload, no telemetry, no output.
const sentryOptions = { silent: true, telemetry: false, sourcemaps: { disable: true } }

export default withSentryConfig(
  process.env.WITHOUT_PLUGIN
    ? nextConfig
    : withSentryTrace(nextConfig, {
        tracePropagationTargets: [/^\/api\//],
        report: `${distDir}-sentry-trace-report.json`,
      }),
  sentryOptions,
)
