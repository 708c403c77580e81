// What @angular-builders/custom-esbuild adds to the application builder's esbuild plugins (after Angular's own).
import sentryTrace from 'unplugin-sentry-trace/esbuild'

export default sentryTrace({ tracePropagationTargets: [/^\/api\//] })
