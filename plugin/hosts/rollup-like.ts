import type { UnpluginMessage, UnpluginOptions } from 'unplugin'
import { PACKAGE_NAME } from '../../src/names.js'
import type { Build } from '../build.js'
import { rollupError, toPluginError } from '../errors.js'
import { RUNTIME_MODULE, RUNTIME_MODULE_ROLLUP_ID } from '../virtual.js'
import { mappedOriginals, type EncodedSourceMap } from '../original-position.js'
import { consoleLogger, type Host } from './host.js'

/**
 * What `this` offers in Rollup-like hooks beyond unplugin's common context: unplugin
 * passes the bundler's own plugin context there.
 */
export interface RollupLikeContext {
  getModuleInfo?(id: string): { isEntry: boolean } | null
  /** Vite 6+: the environment the module is transformed for. */
  environment?: { config?: { consumer?: string } }
  meta?: { watchMode?: boolean; rolldownVersion?: string }
  /** In `transform`: the map of the module's code so far, back to its file. */
  getCombinedSourcemap?(): EncodedSourceMap
  info?(message: string): void
  warn(message: string | UnpluginMessage): void
  error(message: UnpluginMessage): never
}

/** A worker's entry as Vite's dev server requests it. */
const WORKER_FILE = /[?&]worker_file(?:&|$)/

/** Plugin names of the CommonJS plugins Rollup (and Vite before 8) bundle `require` with. */
const COMMONJS_PLUGINS = new Set(['commonjs', 'vite:commonjs'])

/**
 * Rollup and Rolldown (and, through hosts/vite.ts, Vite). Fills `state.root` and
 * `state.server` (Rolldown: `cwd`, `platform`); entries are read from the module
 * graph as they are transformed.
 */
export function rollupLikeHost(build: Build, framework: 'rollup' | 'rolldown' | 'vite' | 'unloader'): Host {
  const { state, options } = build
  /** Rollup's CommonJS plugin is in this build (found at its start). */
  const bundles = { commonjs: false }

  build.checksMappedSites = framework !== 'unloader'
  const host: Host = {
    transformFilter: { id: options.idFilter, code: options.rewrite.candidates },
    // Explicit: a `treeshake.moduleSideEffects: false` build must keep the configuration.
    runtimeModuleId: { id: RUNTIME_MODULE_ROLLUP_ID, moduleSideEffects: true },

    isServer(context, hookOptions) {
      if (options.ssr) return false
      if (state.server) return true
      const consumer = (context as RollupLikeContext | undefined)?.environment?.config?.consumer
      if (consumer !== undefined) return consumer === 'server'
      return (hookOptions as { ssr?: boolean } | undefined)?.ssr === true
    },

    isEntry(context, id) {
      // Vite's dev server throws on `isEntry`; its entry is the HTML (see hosts/vite.ts),
      // and a worker's is requested with `?worker_file`.
      if (state.devServer) return WORKER_FILE.test(id) && 'worker'
      const entry = (context as RollupLikeContext).getModuleInfo?.(id)?.isEntry ?? false
      return entry && state.worker ? 'worker' : entry
    },

    /**
     * `require` where the bundler bundles CommonJS, so a script stays a script;
     * `import` where every file is an ES module anyway (Vite's dev server serves files
     * as they are; Rollup without its CommonJS plugin, or outside what that plugin handles).
     */
    scriptWiring(context, id) {
      if (state.devServer) return 'import'
      // Rolldown, and Vite 8 built on it, bundle CommonJS themselves.
      if (framework === 'rolldown' || (context as RollupLikeContext | undefined)?.meta?.rolldownVersion) return 'require'
      // Rollup's CommonJS plugin takes every file; the one Vite 5-7 builds with, node_modules.
      if (framework === 'rollup') return bundles.commonjs ? 'require' : 'import'
      return bundles.commonjs && /[\\/]node_modules[\\/]/.test(id) ? 'require' : 'import'
    },

    incomingMap: (context) => (context as RollupLikeContext).getCombinedSourcemap?.(),

    fail(context, error) {
      const shaped = toPluginError(error)
      if (!shaped) throw error
      return (context as RollupLikeContext).error(rollupError(shaped))
    },

    logger(context) {
      const rollup = context as RollupLikeContext
      // Rollup and Rolldown name the plugin in their logs themselves.
      return state.logger ?? {
        info: (message) => (rollup.info ? rollup.info(message) : consoleLogger.info(message)),
        warn: (message) => rollup.warn(message),
      }
    },

    buildStart(context, args) {
      // A watcher transforms only what changed: keep the other modules' sites. Anything
      // else is a new build (the same plugin object may serve several).
      // A worker's build (Vite) adds to its page's log.
      if (!(context as RollupLikeContext).meta?.watchMode && !build.page) state.sites.clear()
      const plugins = (args[0] as { plugins?: Array<{ name?: string } | null | false> } | undefined)?.plugins
      bundles.commonjs = !!plugins?.some((plugin) => plugin && COMMONJS_PLUGINS.has(plugin.name ?? ''))
    },

    /**
     * Entries without a call site never pass the main hook's code filter, so they get
     * their runtime import here, after it (same `enforce`, next in order): an entry it
     * rewrote already imports the runtime. Only the id is filtered natively; for any
     * module but an entry the handler is one lookup.
     */
    extraPlugins(rewrite) {
      const host = this as Host
      const entryPlugin: UnpluginOptions = {
        name: `${PACKAGE_NAME}:entry`,
        enforce: 'pre',
        transform: {
          filter: { id: options.idFilter },
          handler(code, id, ...rest: unknown[]) {
            if (!host.isEntry(this, id) || code.includes(RUNTIME_MODULE) || host.isServer(this, rest[0])) return null
            return rewrite(this, code, id, host.isEntry(this, id)) as { code: string }
          },
        },
      }
      // Last of all transforms: which call sites another plugin's transform left in (the map of
      // the module's final code back to its file). Build only: dev serves what it transformed.
      const name = `${PACKAGE_NAME}:sites-left`
      // Rollup and Rolldown run the plugins in the order given (no `enforce`): this one goes last.
      const last = (inputOptions: { plugins?: unknown }) => {
        if (framework === 'vite' || !Array.isArray(inputOptions.plugins)) return null
        const plugins = inputOptions.plugins.flat(Infinity) as Array<{ name?: string } | null | false>
        const index = plugins.findIndex((plugin) => plugin && plugin.name === name)
        if (index < 0 || index === plugins.length - 1) return null
        return { ...inputOptions, plugins: [...plugins.slice(0, index), ...plugins.slice(index + 1), plugins[index]] }
      }
      const sitesLeftPlugin: UnpluginOptions = {
        name,
        enforce: 'post',
        rollup: { options: last as never },
        rolldown: { options: last as never },
        transform: {
          filter: { id: options.idFilter },
          handler(_code, id) {
            if (state.devServer || !state.sites.awaitsCheck(id)) return null
            let map: (EncodedSourceMap & { sourcesContent?: Array<string | null> }) | undefined
            try {
              map = (this as unknown as RollupLikeContext).getCombinedSourcemap?.()
            } catch {
              // No map: every site is kept.
            }
            state.sites.keepMapped(id, map?.sourcesContent?.length === 1 ? (map.sourcesContent[0] ?? undefined) : undefined, () => mappedOriginals(map ?? { mappings: '' }))
            return null
          },
        },
      }
      return [entryPlugin, sitesLeftPlugin]
    },

    // Which modules ship is known once the chunks are made: `generateBundle` sums up.
    finishesAtOutput: framework !== 'unloader',

    hooks: {
      rollup: {
        generateBundle(_outputOptions, bundle) {
          finishAtOutput(build, host, this, bundle)
        },
      },
      rolldown: {
        options(rolldownOptions) {
          if (rolldownOptions.cwd) state.root = rolldownOptions.cwd
          // Rolldown's own notion of a server bundle.
          state.server = rolldownOptions.platform === 'node' && !options.ssr
          return null
        },
        generateBundle(_outputOptions, bundle) {
          finishAtOutput(build, host, this, bundle)
        },
      },
    },
  }
  return host
}

/** What Rollup, Rolldown and Vite tell of an output chunk's modules. */
interface OutputModules {
  type: string
  modules?: Record<string, { renderedLength?: number }>
}

/**
 * The end of one output of a build (not of a server bundle): the modules that ship
 * are the chunks' modules with code left after tree-shaking, a module with none
 * (each of its exports unused, and no side effects) is not in the output.
 */
export function finishAtOutput(build: Build, host: Host, context: unknown, bundle: Record<string, OutputModules>): void {
  if (build.state.devServer || host.isServer(context)) return
  const shipped: string[] = []
  for (const output of Object.values(bundle)) {
    if (output.type !== 'chunk') continue
    for (const [id, module] of Object.entries(output.modules ?? {})) if (module.renderedLength !== 0) shipped.push(id)
  }
  build.finishOutput(host.logger(context), shipped)
}
