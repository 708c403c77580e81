// unplugin-sentry-trace runtime: never rewritten
/**
 * Where `unplugin-sentry-trace/configured-runtime` resolves when a resolver other than
 * the plugin's answers first: Vite resolves bare imports before the plugins of a nested
 * build's `build.rollupOptions.plugins` (vite-plugin-pwa's `injectManifest.plugins`).
 * The plugin's `load` serves the configured runtime for this file as for its own id
 * (plugin/virtual.ts `RUNTIME_MODULE_ID`); this text is only what a build without the
 * plugin would get: the runtime with its defaults, reading the meta tags.
 */

export * from './index.js'
import './meta.js'
