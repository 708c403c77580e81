import type { UnpluginOptions } from 'unplugin'
import type { Site } from '../../src/analyze.js'
import type { ScriptWiring } from '../../src/inject.js'
import { LOG_PREFIX } from '../../src/names.js'
import type { EncodedSourceMap } from '../original-position.js'
import type { Logger } from '../report.js'

/**
 * What the spine (core.ts) asks of a bundler. Each host module makes one from the
 * `Build`, filling its state from the bundler's own hooks.
 */
export interface Host {
  /** The bundler's own hooks, under unplugin's per-bundler keys. */
  hooks: Pick<UnpluginOptions, 'vite' | 'rollup' | 'rolldown' | 'webpack' | 'rspack' | 'esbuild'>
  /**
   * Rewriting through unplugin's `transform`, with this native filter; undefined when
   * the host rewrites and serves the runtime module through its own hooks (esbuild).
   */
  transformFilter?: { id: { include?: RegExp[]; exclude: RegExp[] }; code?: RegExp }
  /** What `resolveId` answers for the runtime module. */
  runtimeModuleId?: string | { id: string; moduleSideEffects: true }
  /** This module is part of a server bundle, left alone. `hookOptions`: the transform hook's third argument. */
  isServer(context: unknown, hookOptions?: unknown): boolean
  /** `worker`: the entry of a worker the bundler builds from the app (it picks up the trace its page hands over). */
  isEntry(context: unknown, id: string): boolean | 'worker'
  /**
   * `skip` where the bundler finds its workers in the text after the main hook
   * (`new Worker(new URL(...))` in Vite): worker sites are then rewritten by a later
   * stage of the host, and the main hook leaves them.
   */
  mainStageWorkers?: 'skip'
  /**
   * A module a dependency stage of ours already took, when it was bundled (Vite's
   * dev pre-bundle): rewritten there file by file, or left alone there on purpose.
   */
  isPrebundled?(id: string): boolean
  /** How a file without ESM syntax reaches the runtime here (see `ScriptWiring`). */
  scriptWiring(context: unknown, id: string): ScriptWiring
  /** Raise one of our errors through the bundler's error API (errors.ts); any other goes through as it is. */
  fail(context: unknown, error: unknown): never
  /** Where the end of a build reports. */
  logger(context: unknown): Logger
  /** At each build's start, before the report target is checked. */
  buildStart?(context: unknown, args: unknown[]): void
  /** The source map of a module's code as it reaches the transform, where the bundler chains them. */
  incomingMap?(context: unknown): EncodedSourceMap | null | undefined
  /** The code reaching the transform is another tool's output for the file: place its sites through `incomingMap`. */
  compiledCode?(context: unknown): boolean
  /**
   * A module's sites, also kept where the bundler caches the module: a module served
   * from a persistent cache is not transformed again, yet its sites ship.
   */
  keepSites?(context: unknown, sites: Site[]): void
  /** At a build's end, before the report: sites of modules the bundler served from its cache. */
  restoreCachedSites?(context: unknown): void
  /** At a build's end, before the report: the modules in the output (webpack, Rspack: the chunks' modules); undefined if it cannot tell. */
  shippedModules?(context: unknown): Iterable<string> | undefined
  /**
   * The host sums the build up itself, once its output is known (`Build.finishOutput`:
   * Rollup-likes in `generateBundle`, esbuild from its metafile), not at `buildEnd`.
   */
  finishesAtOutput?: boolean
  /** Plugins after the main one, given the spine's rewrite. */
  extraPlugins?(rewrite: Rewrite): UnpluginOptions[]
}

/**
 * The spine's rewrite of one module in a hook: result, null for nothing to do; failures go through `Host.fail`.
 * `component`: the module is a framework component, compiled by its plugin (see `componentFilter`).
 * `workers`: which sites this stage rewrites (`all`; `Host.mainStageWorkers` when not given).
 */
export type Rewrite = (
  context: unknown,
  code: string,
  id: string,
  entry: boolean | 'worker',
  stage?: { component?: boolean; workers?: 'all' | 'skip' | 'only' },
) => { code: string; map: unknown } | null

/** The console, for hosts without a log of their own. */
export const consoleLogger: Logger = {
  info: (message) => console.info(`${LOG_PREFIX} ${message}`),
  warn: (message) => console.warn(`${LOG_PREFIX} ${message}`),
}
