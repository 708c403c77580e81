import { createUnplugin, createVitePlugin, type UnpluginContextMeta, type UnpluginFactory, type UnpluginOptions } from 'unplugin'
import { PACKAGE_NAME } from '../src/names.js'
import { Build } from './build.js'
import { esbuildHost } from './hosts/esbuild.js'
import type { Host, Rewrite } from './hosts/host.js'
import { rollupLikeHost } from './hosts/rollup-like.js'
import { viteHost } from './hosts/vite.js'
import { webpackLikeHost } from './hosts/webpack-like.js'
import { resolvePluginOptions, type PluginOptions } from './options.js'
import { RUNTIME_FILES, RUNTIME_MODULE, RUNTIME_MODULE_ID, RUNTIME_REQUESTS } from './virtual.js'

export type { PluginOptions }

function hostFor(framework: UnpluginContextMeta['framework'], build: Build): Host {
  switch (framework) {
    case 'vite':
      return viteHost(build)
    case 'rollup':
    case 'rolldown':
    case 'unloader':
      return rollupLikeHost(build, framework)
    case 'webpack':
    case 'rspack':
      return webpackLikeHost(build)
    case 'esbuild':
      return esbuildHost(build)
    default:
      throw new Error(`${PACKAGE_NAME} does not support ${framework}`)
  }
}

/**
 * The spine: options resolved once, one `Build` for the host to fill, and the hooks
 * every bundler shares, asking the host where bundlers differ (what each host relies
 * on: docs/bundlers.md).
 */
export const unpluginFactory: UnpluginFactory<PluginOptions | undefined, boolean> = pluginFactory()

/**
 * `page`: the build of the page whose workers this instance builds (Vite builds each
 * worker with plugins of its own): their sites go into that build's report.
 */
function pluginFactory(page?: Build): UnpluginFactory<PluginOptions | undefined, boolean> {
  return (userOptions, meta) => {
    const build = new Build(resolvePluginOptions(userOptions), page)
    build.workerPlugins = () => createVitePlugin(pluginFactory(build))(userOptions)
    const { state } = build
    const host = hostFor(meta.framework, build)

    const rewrite: Rewrite = (context, code, id, entry, stage = {}) => {
      const incomingMap = host.incomingMap && (() => host.incomingMap!(context))
      const workers = stage.workers ?? host.mainStageWorkers
      let result
      try {
        result = build.transform(code, id, entry, host.scriptWiring(context, id), { component: stage.component, compiled: host.compiledCode?.(context), incomingMap, workers: workers === 'all' ? undefined : workers })
      } catch (error) {
        return host.fail(context, error)
      }
      if (result) host.keepSites?.(context, result.sites)
      return result && { code: result.code, map: result.map }
    }

    const runtimeModuleId = host.runtimeModuleId
    const transformFilter = host.transformFilter

    const main: UnpluginOptions = {
      name: PACKAGE_NAME,
      enforce: 'pre',

      resolveId: runtimeModuleId === undefined ? undefined : {
        filter: { id: RUNTIME_REQUESTS },
        handler: (id) => (id === RUNTIME_MODULE ? (runtimeModuleId as string) : (RUNTIME_FILES.get(id) ?? null)),
      },

      load: runtimeModuleId === undefined ? undefined : {
        filter: { id: RUNTIME_MODULE_ID },
        handler: (id) => (RUNTIME_MODULE_ID.test(id) ? build.runtimeSource() : null),
      },

      transform: transformFilter && {
        filter: transformFilter,
        handler(code, id, ...rest: unknown[]) {
          if (host.isServer(this, rest[0]) || host.isPrebundled?.(id)) return null
          return rewrite(this, code, id, host.isEntry(this, id)) as { code: string }
        },
      },

      buildStart(...args: unknown[]) {
        try {
          build.startBuild()
          host.buildStart?.(this, args)
          build.checkReport()
        } catch (error) {
          host.fail(this, error)
        }
      },

      watchChange(id) {
        state.sites.forget(id)
      },

      buildEnd(...args: unknown[]) {
        // Rollup-likes pass the error that failed the build: nothing to sum up then.
        // A dev server has no build to sum up; a server bundle was left alone; a worker's is in its page's.
        if (args[0] || state.devServer || host.isServer(this) || build.page) return
        host.restoreCachedSites?.(this)
        const log = host.logger(this)
        build.checkReached(log)
        if (host.finishesAtOutput) return
        const shipped = host.shippedModules?.(this)
        if (shipped) build.finishOutput(log, shipped)
        else build.finish(log)
      },

      // After the output is written: Vite empties `outDir` only then, which would take a report inside it along.
      async writeBundle() {
        if (!build.page) await build.writeReport()
      },

      ...host.hooks,
    }
    return [main, ...(host.extraPlugins?.(rewrite) ?? [])]
  }
}

export const unplugin = /* #__PURE__ */ createUnplugin(unpluginFactory)

export default unplugin

/**
 * A bundler entry: the options are checked as the plugin is created, also where the
 * bundler makes the plugin's hooks only later (webpack and Rspack call the factory
 * in `apply`). The resolution is kept for the factory, so it runs once.
 */
export function checkedEntry<T>(make: (options?: PluginOptions) => T): (options?: PluginOptions) => T {
  return (options) => {
    resolvePluginOptions(options)
    return make(options)
  }
}
