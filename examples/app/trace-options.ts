import type { PluginOptions } from 'unplugin-sentry-trace/vite'

/** The plugin options of the example, the same for every bundler. */
export const traceOptions: PluginOptions = {
  // Same-origin `/api` calls (matched on the path) and the API origin (matched on the URL).
  tracePropagationTargets: [/^\/api\//, /^http:\/\/api\.test\//],
  // Interop with the Sentry browser SDK (auto-detected from package.json when unset):
  // rewritten requests become the SDK's `http.client` spans once `Sentry.init` ran;
  // on the standalone page, which never calls init, they continue the meta-tag trace.
  sentry: '@sentry/browser',
}
