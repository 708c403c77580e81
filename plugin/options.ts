import type { RewriteOptions } from '../src/options.js'

/**
 * Options of the bundler plugins (`unplugin-sentry-trace/vite`, `/webpack`, `/esbuild`,
 * `/rollup`, `/rspack`, `/rolldown`): every rewrite option, plus what only a whole
 * build can do.
 */
export interface PluginOptions extends RewriteOptions {
  /**
   * Write every call site of the build to this JSON file (resolved against the
   * bundler's root: Vite `root`, webpack/Rspack `context`, esbuild `absWorkingDir`,
   * the working directory for Rollup and Rolldown). Each site has `file` (relative
   * to that root), `line` (1-based), `column` (0-based), `kind` (`fetch`, `xhr`,
   * `axios`), `decision` (`always`, `runtime`, `never`) and, when known at build
   * time, `url`. Dev servers write no report.
   * @default undefined (no file; the one-line summary is printed either way)
   */
  report?: string

  /**
   * Also rewrite server bundles: Vite SSR, webpack/Rspack with a Node target
   * (`target: 'node'`, `electron-main`), esbuild and Rolldown with `platform: 'node'`.
   * Off by default: the runtime reads `<meta>` tags and keeps one trace per page,
   * which has no meaning in a server handling many requests, where the Sentry
   * server SDK propagates traces itself.
   * @default false
   */
  ssr?: boolean

  /**
   * Sentry SDK interop. When the app uses the Sentry browser SDK, the requests
   * this plugin rewrites take their trace headers from it (`getTraceData`) and are
   * recorded as its `http.client` spans, ended with the HTTP status. Set the module
   * the app imports the SDK from (`'@sentry/browser'`, `'@sentry/react'`, ...), or
   * `false` to keep the standalone runtime (trace continued from the meta tags only).
   *
   * Turn the SDK's own fetch/XHR tracing off, or each request is recorded twice:
   * `browserTracingIntegration({ traceFetch: false, traceXHR: false })`.
   *
   * @default the first Sentry browser SDK found in the dependencies of the project's
   *   package.json (nearest to the bundler's root), else `false`
   */
  sentry?: string | false
}
