// What @angular-builders/custom-webpack merges into the legacy webpack builder's config.
import sentryTrace from 'unplugin-sentry-trace/webpack'

export default {
  plugins: [sentryTrace({ tracePropagationTargets: [/^\/api\//], report: 'sentry-trace-report.json' })],
}
