// unplugin-sentry-trace runtime: never rewritten
/**
 * The configured runtime of a Next.js app under Turbopack, which has no virtual
 * modules: rewritten files import this file, and the loader that `withSentryTrace`
 * adds (plugin/next-loader.ts) serves the build's configuration in its place. This
 * text is what a bundler sees without that loader.
 */

throw new Error('[unplugin-sentry-trace] runtime/configured is served by the loader of `withSentryTrace` (unplugin-sentry-trace/next); it was reached without it')

export {}
