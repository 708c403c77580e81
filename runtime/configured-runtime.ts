// unplugin-sentry-trace runtime: never rewritten
/**
 * Where `unplugin-sentry-trace/configured-runtime` resolves when a resolver other than
 * the plugin's answers first: Vite resolves bare imports before the plugins of a nested
 * build's `build.rollupOptions.plugins` (vite-plugin-pwa's `injectManifest.plugins`).
 * The plugin's `load` serves the configured runtime for this file as for its own id
 * (plugin/virtual.ts `RUNTIME_MODULE_ID`). Under Next.js, which has no virtual
 * modules, rewritten files import this file by a relative path and the loader of
 * `withSentryTrace` (plugin/next-loader.ts) serves the configured runtime for it.
 * This text is only what a build without either would get: the runtime with its
 * defaults, reading the meta tags.
 */

export * from './index.js'
import './meta.js'
