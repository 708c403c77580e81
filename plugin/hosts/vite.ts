import type { HtmlTagDescriptor, Plugin, Rolldown } from 'vite'
import { LOG_PREFIX, PACKAGE_NAME } from '../../src/names.js'
import { transformResolved } from '../../src/transform.js'
import type { Build } from '../build.js'
import { rollupError, toPluginError } from '../errors.js'
import { RUNTIME_MODULE, RUNTIME_MODULE_REQUEST } from '../virtual.js'
import type { UnpluginOptions } from 'unplugin'
import type { Host, Rewrite } from './host.js'
import { rollupLikeHost } from './rollup-like.js'

/**
 * Vite: the Rollup-like host, plus what Vite adds. Fills `state.devServer` (from the
 * command), `state.root` and `state.logger` (from the resolved config).
 */
export function viteHost(build: Build): Host {
  const { state } = build
  const host = rollupLikeHost(build, 'vite')
  host.mainStageWorkers = 'skip'
  host.hooks = {
    vite: {
      config(_config, env) {
        state.devServer = env.command === 'serve'
        // Vite bundles each worker with plugins of its own (in a build; its dev server
        // serves workers through the page's pipeline).
        const worker = { plugins: () => build.workerPlugins() as Plugin[] }
        if (!state.devServer) return { worker }
        return { worker, optimizeDeps: { rolldownOptions: { plugins: [dependencyPlugin(build)] } } }
      },
      configResolved(config) {
        state.worker = !!(config as { isWorker?: boolean }).isWorker
        dropHtmlHookUnderSvelteKit(config.plugins)
        state.root = config.root
        state.logger = { info: (message) => config.logger.info(`${LOG_PREFIX} ${message}`), warn: (message) => config.logger.warn(`${LOG_PREFIX} ${message}`) }
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
        if (host.isServer(this, rest[0])) return null
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
 * Vite dev pre-bundles dependencies with Rolldown, without the app's `transform`
 * hooks: this plugin rewrites them there. The configured runtime stays external, so
 * the pre-bundled code imports the one module the app's code imports, and the page
 * keeps one trace context. Its name carries the options hash: Vite keys its
 * pre-bundle cache on plugin names, and changed options must rebuild it.
 */
const RUNTIME_BRIDGE_ID = '\0unplugin-sentry-trace:runtime-bridge'

function dependencyPlugin(build: Build): Rolldown.Plugin {
  const { options } = build
  return {
    name: `${PACKAGE_NAME}:dependencies:${options.hash}`,
    resolveId: {
      filter: { id: RUNTIME_MODULE_REQUEST },
      handler(id, _importer, extra) {
        if (id !== RUNTIME_MODULE) return null
        // An external `require` does not run in the browser: a CommonJS dependency
        // requires a module inside the pre-bundle that re-exports the external one,
        // whose import Rolldown hoists to the top of the chunk.
        if ((extra as { kind?: string } | undefined)?.kind === 'require-call') return { id: RUNTIME_BRIDGE_ID }
        return { id, external: true }
      },
    },
    load: {
      filter: { id: /^\0unplugin-sentry-trace:runtime-bridge$/ },
      handler: (id) => (id === RUNTIME_BRIDGE_ID ? `export * from ${JSON.stringify(RUNTIME_MODULE)};\n` : null),
    },
    transform: {
      filter: { id: options.idFilter, code: options.rewrite.candidates },
      handler(code, id) {
        let result
        try {
          result = transformResolved(code, id, options.rewrite, { entry: false, runtimeModule: RUNTIME_MODULE, scripts: 'require' })
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
