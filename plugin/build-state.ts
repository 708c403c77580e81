import { SiteLog, type Logger, type Report } from './report.js'

/**
 * What one plugin instance learns from its bundler as the build goes, beyond the
 * options. The host module fills it from its bundler's config and hooks (each says
 * which fields); the spine (core.ts) reads it.
 */
export class BuildState {
  /** The bundler's root; the report and its file names are relative to its project (project.ts). */
  root = process.cwd()
  /** The bundler's log, when it has one the user configures (level, output). */
  logger: Logger | undefined
  /** The whole build is a server bundle (SSR, Node target), left alone. */
  server = false
  /** A dev server (Vite's): its entry is the HTML, and there is no build to report on. */
  devServer = false
  /** Entries as file paths, for hosts that learn them before their modules are transformed (webpack, Rspack, esbuild). */
  readonly entries = new Set<string>()
  /** The call sites of the build so far. */
  readonly sites = new SiteLog()
  /**
   * Modules the plugin reached (ones handed to its transform, the runtime module,
   * modules served from a bundler's cache that it had rewritten), over this
   * instance's builds: none at a build's end means it never ran on the app.
   */
  reached = 0
  /** The last build's report, written out after the bundle. */
  lastReport: Report | undefined
}
