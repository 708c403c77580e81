import type { OnLoadResult, Plugin as EsbuildPlugin } from 'esbuild'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { HtmlTagDescriptor, Plugin, Rolldown } from 'vite'
import { LOG_PREFIX, PACKAGE_NAME } from '../../src/names.js'
import { transformResolved } from '../../src/transform.js'
import type { Build } from '../build.js'
import { esbuildMessage, rollupError, toPluginError } from '../errors.js'
import { RUNTIME_MODULE, RUNTIME_MODULE_REQUEST } from '../virtual.js'
import type { UnpluginOptions } from 'unplugin'
import type { Host, Rewrite } from './host.js'
import { esbuildLoader } from './esbuild.js'
import { finishAtOutput, rollupLikeHost } from './rollup-like.js'

/**
 * Vite: the Rollup-like host, plus what Vite adds. Fills `state.devServer` (from the
 * command), `state.root`, `state.logger` and `state.server` (an SSR build) from the
 * resolved config.
 */
export function viteHost(build: Build): Host {
  const { state } = build
  const host = rollupLikeHost(build, 'vite')
  host.mainStageWorkers = 'skip'
  /** The dev server's pre-bundle folder, `<cacheDir>/deps` (and its `deps_temp_*` siblings), `/`-separated. */
  const dev = { prebundle: undefined as string | undefined }
  // The chunks served from there were bundled through our dependency stage (below).
  // Taken again under their own names, the Sentry SDK's chunk and an excluded
  // dependency's would be rewritten: in dev, not in build.
  host.isPrebundled = (id) => dev.prebundle !== undefined && id.startsWith(dev.prebundle)
  host.hooks = {
    vite: {
      config(_config, env) {
        state.devServer = env.command === 'serve'
        // Vite bundles each worker with plugins of its own (in a build; its dev server
        // serves workers through the page's pipeline).
        const worker = { plugins: () => build.workerPlugins() as Plugin[] }
        if (!state.devServer) return { worker }
        // Vite 8 pre-bundles with Rolldown and says so in the hook's context (Vite 7
        // gives it a context without `rolldownVersion`, 5 and 6 none); before, esbuild.
        const meta = (this as { meta?: { rolldownVersion?: string } } | undefined)?.meta
        if (meta?.rolldownVersion) return { worker, optimizeDeps: { rolldownOptions: { plugins: [rolldownDependencyPlugin(build)] } } }
        return { worker, optimizeDeps: { esbuildOptions: { plugins: [esbuildDependencyPlugin(build)] } } }
      },
      configResolved(config) {
        state.worker = !!(config as { isWorker?: boolean }).isWorker
        dropHtmlHookUnderSvelteKit(config.plugins)
        state.root = config.root
        // `vite build --ssr` on Vite 5, which gives hooks no environment to ask (from 6
        // on, the environment's consumer says it, and one build may hold client and server).
        if (!(config as { environments?: unknown }).environments && config.build.ssr && !build.options.ssr) state.server = true
        if (state.devServer) dev.prebundle = `${config.cacheDir.replace(/\\/g, '/').replace(/\/$/, '')}/deps`
        state.logger = { info: (message) => config.logger.info(`${LOG_PREFIX} ${message}`), warn: (message) => config.logger.warn(`${LOG_PREFIX} ${message}`) }
      },
      generateBundle(_outputOptions, bundle) {
        finishAtOutput(build, host, this, bundle)
      },
      // Vite's entry is the HTML: a module script placed first runs first, in dev and,
      // bundled with the page's other scripts in document order, in build.
      transformIndexHtml: {
        order: 'pre',
        handler(): HtmlTagDescriptor[] {
          return [{ tag: 'script', attrs: { type: 'module' }, children: `import ${JSON.stringify(RUNTIME_MODULE)}`, injectTo: 'head-prepend' }]
        },
      },
    },
  }
  const sourceStages = host.extraPlugins!
  host.extraPlugins = (rewrite) => [...sourceStages.call(host, rewrite), componentPlugin(build, host, rewrite), workerPlugin(build, host, rewrite)]
  return host
}

/** Text that may construct a worker (the native filter of the worker stage). */
const WORKER_CONSTRUCTION = /\b(?:Shared)?Worker\b/

/**
 * Workers: Vite finds `new Worker(new URL('./w.js', import.meta.url))` in the text
 * after the main hook (vite:worker-import-meta-url, a core plugin), so the main hook
 * leaves worker sites and this stage, after Vite's, rewrites them (the URL is Vite's
 * by then), in dev and build. Compiled components are the component stage's.
 */
function workerPlugin(build: Build, host: Host, rewrite: Rewrite): UnpluginOptions {
  const { options } = build
  return {
    name: `${PACKAGE_NAME}:workers`,
    enforce: 'post',
    transform: {
      filter: { id: options.idFilter, code: WORKER_CONSTRUCTION },
      handler(code, id, ...rest: unknown[]) {
        if (host.isServer(this, rest[0]) || host.isPrebundled?.(id)) return null
        return rewrite(this, code, id, false, { workers: 'only' }) as { code: string }
      },
    },
  }
}

/** Ids of Vue and Svelte components and their virtual sub-modules; the handler tells which are compiled components. */
const COMPONENT_MODULE_ID = /\.(?:vue|svelte)(?:$|\?)/

/**
 * Vue and Svelte components: their plugins compile `App.vue` / `Counter.svelte`
 * (script, template, TypeScript stripped) into the component's own module, after the
 * main hook ran on its source. This stage runs after them, on the compiled
 * JavaScript, in dev and build. Sub-modules that say their language
 * (`App.vue?vue&type=script&setup=true&lang.ts`, Vue with TypeScript in build) are
 * sources the main hook already rewrote, and are skipped before any parse.
 */
function componentPlugin(build: Build, host: Host, rewrite: Rewrite): UnpluginOptions {
  const { options } = build
  return {
    name: `${PACKAGE_NAME}:components`,
    enforce: 'post',
    transform: {
      filter: { id: { include: [COMPONENT_MODULE_ID], exclude: options.idFilter.exclude }, code: options.rewrite.candidates },
      handler(code, id, ...rest: unknown[]) {
        if (!options.rewrite.componentFilter(id) || host.isServer(this, rest[0])) return null
        return rewrite(this, code, id, host.isEntry(this, id), { component: true, workers: 'all' }) as { code: string }
      },
    },
    vite: {
      // After @vitejs/plugin-vue's own configResolved, which turns its source maps off
      // in a build without `build.sourcemap`: the report needs them to place a
      // component's sites in its .vue file. The bundle's maps still follow `build.sourcemap`.
      configResolved(config) {
        const vue = config.plugins.find((plugin) => plugin.name === 'vite:vue') as { api?: { options?: { sourceMap?: boolean } } } | undefined
        const api = vue?.api
        if (api?.options && api.options.sourceMap === false) api.options = { ...api.options, sourceMap: true }
      },
    },
  }
}

/**
 * Vite dev pre-bundles dependencies without the app's `transform` hooks: with
 * Rolldown from Vite 8 on, with esbuild before. One plugin for each rewrites them
 * there. The configured runtime stays external, so the pre-bundled code imports the
 * one module the app's code imports, and the page keeps one trace context. An
 * external `require` does not run in the browser: a CommonJS dependency requires a
 * module inside the pre-bundle that re-exports the external one, whose import the
 * bundler hoists to the top of the chunk. Each plugin's name carries the options
 * hash: Vite keys its pre-bundle cache on plugin names, and changed options must
 * rebuild it.
 */
const DEPENDENCIES_PLUGIN = `${PACKAGE_NAME}:dependencies`
const RUNTIME_BRIDGE_ID = '\0unplugin-sentry-trace:runtime-bridge'
const RUNTIME_BRIDGE_SOURCE = `export * from ${JSON.stringify(RUNTIME_MODULE)};\n`

/** A dependency's rewrite in the pre-bundle: its sites are not reported (a dev server writes no report). */
function rewriteDependency(build: Build, code: string, id: string) {
  return transformResolved(code, id, build.options.rewrite, { entry: false, runtimeModule: RUNTIME_MODULE, scripts: 'require' })
}

function rolldownDependencyPlugin(build: Build): Rolldown.Plugin {
  const { options } = build
  return {
    name: `${DEPENDENCIES_PLUGIN}:${options.hash}`,
    resolveId: {
      filter: { id: RUNTIME_MODULE_REQUEST },
      handler(id, _importer, extra) {
        if (id !== RUNTIME_MODULE) return null
        if ((extra as { kind?: string } | undefined)?.kind === 'require-call') return { id: RUNTIME_BRIDGE_ID }
        return { id, external: true }
      },
    },
    load: {
      filter: { id: /^\0unplugin-sentry-trace:runtime-bridge$/ },
      handler: (id) => (id === RUNTIME_BRIDGE_ID ? RUNTIME_BRIDGE_SOURCE : null),
    },
    transform: {
      filter: { id: options.idFilter, code: options.rewrite.candidates },
      handler(code, id) {
        let result
        try {
          result = rewriteDependency(build, code, id)
        } catch (error) {
          const shaped = toPluginError(error)
          if (!shaped) throw error
          return this.error(rollupError(shaped))
        }
        return result && { code: result.code, map: result.map as Rolldown.SourceMapInput }
      },
    },
  }
}

/**
 * Vite 5 to 7: the same in their esbuild optimizer, where `optimizeDeps.esbuildOptions.plugins`
 * run before Vite's own (esbuild takes the first onLoad that answers). Scripts are
 * read here, as the esbuild host reads them.
 */
function esbuildDependencyPlugin(build: Build): EsbuildPlugin {
  const { options } = build
  return {
    name: `${DEPENDENCIES_PLUGIN}:${options.hash}`,
    setup(esbuild) {
      esbuild.onResolve({ filter: RUNTIME_MODULE_REQUEST }, ({ path, kind }) => {
        if (path !== RUNTIME_MODULE) return undefined
        if (kind === 'require-call') return { path: 'runtime-bridge', namespace: DEPENDENCIES_PLUGIN }
        return { path, external: true }
      })
      esbuild.onLoad({ filter: /.*/, namespace: DEPENDENCIES_PLUGIN }, () => ({ contents: RUNTIME_BRIDGE_SOURCE, loader: 'js' }))
      esbuild.onLoad({ filter: options.idPattern }, (args): OnLoadResult | undefined => {
        const id = args.path + (args.suffix ?? '')
        const loader = esbuildLoader(args.path, esbuild.initialOptions.loader ?? {})
        // Imported with attributes (`with { type: 'json' }`): esbuild decides what it is.
        if (!loader || Object.keys(args.with ?? {}).length || !options.rewrite.filter(id)) return undefined
        let code: string
        try {
          code = readFileSync(args.path, 'utf8')
        } catch {
          return undefined
        }
        let result
        try {
          result = rewriteDependency(build, code, id)
        } catch (error) {
          const shaped = toPluginError(error)
          if (!shaped) throw error
          return { errors: [esbuildMessage(shaped, code)] }
        }
        if (!result) return undefined
        const map = Buffer.from(JSON.stringify(result.map)).toString('base64')
        return {
          contents: `${result.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`,
          loader,
          resolveDir: dirname(args.path),
        }
      })
    },
  }
}

/**
 * SvelteKit renders its HTML itself and warns about every plugin with a
 * `transformIndexHtml` hook. With SvelteKit the hook has nothing to do (its pages
 * get the runtime from the first rewritten module, see the README): take it off
 * our plugin object before SvelteKit looks, in its own `configResolved` (ours runs
 * first: it is ordered `pre`), and before Vite collects the HTML hooks.
 */
function dropHtmlHookUnderSvelteKit(plugins: ReadonlyArray<{ name?: string; transformIndexHtml?: unknown }>): void {
  if (!plugins.some((plugin) => plugin.name?.startsWith('vite-plugin-sveltekit'))) return
  for (const plugin of plugins) if (plugin.name === PACKAGE_NAME) delete plugin.transformIndexHtml
}
