import { dirname, resolve } from 'node:path'
import { PACKAGE_NAME, LOG_PREFIX } from '../../src/names.js'
import type { Site } from '../../src/analyze.js'
import { stripQuery } from '../../src/options.js'
import type { Build } from '../build.js'
import { toPluginError, webpackError } from '../errors.js'
import type { EncodedSourceMap } from '../original-position.js'
import type { Logger } from '../report.js'
import { RUNTIME_MODULE, RUNTIME_MODULE_ID } from '../virtual.js'
import { consoleLogger, type Host } from './host.js'

interface WebpackLikeCompiler {
  context: string
  options: { target?: unknown; module: { rules: unknown[]; parser?: { javascript?: { worker?: string[] | boolean } } }; plugins?: unknown[]; cache?: boolean | { type?: string; version?: string } }
  platform?: { node?: boolean | null }
  getInfrastructureLogger(name: string): Logger
  hooks: {
    compilation: {
      tap(name: string, fn: (compilation: unknown, params: { normalModuleFactory: WebpackLikeModuleFactory }) => void): void
    }
  }
}

interface WebpackLikeModuleFactory {
  hooks: {
    afterResolve: {
      tap(name: string, fn: (data: { contextInfo: { issuer: string }; dependencyType?: string; createData?: { resource?: string } }) => void): void
    }
  }
}

interface WebpackLikeCompilation {
  warnings: Error[]
}

interface NativeBuildContext {
  getNativeBuildContext?():
    | { framework: string; compiler?: unknown; compilation?: unknown; loaderContext?: { _module?: CachedModule }; inputSourceMap?: unknown }
    | undefined
}

/** What a module keeps across builds: its `buildInfo` is stored with it in a persistent cache. */
interface CachedModule {
  resource?: string
  buildInfo?: Record<string, unknown>
}

/** A module of a chunk: a file's, or one that joins several (`ConcatenatedModule`). */
interface ChunkModule {
  resource?: string
  modules?: Iterable<ChunkModule>
}

/** What the end of a compilation tells of its chunks (webpack and Rspack alike). */
interface ChunkedCompilation {
  chunks?: Iterable<unknown>
  chunkGraph?: { getChunkModulesIterable(chunk: unknown): Iterable<ChunkModule> }
}

/** Our key in a module's `buildInfo`. */
const SITES = 'sentryTraceSites'

/**
 * Angular's webpack build (`@angular-devkit/build-angular`, the legacy builders):
 * `@ngtools/webpack`'s loader emits each TypeScript file from Angular's own
 * compilation of the files on disk, dropping what a loader before it returned; a
 * call site rewritten there would be reported and yet not shipped. Our transform
 * then runs last (`enforce: 'post'`), on what Angular's loaders made of every
 * module, and places each site in the file through the incoming source map.
 * unplugin adds the transform's rule first in `module.rules` just before it calls
 * the `webpack` hook; a rule of another shape is left as it is.
 */
function runAfterAngular(compiler: WebpackLikeCompiler): boolean {
  const angular = compiler.options.plugins?.some((plugin) => (plugin as { constructor?: { name?: string } } | null)?.constructor?.name === 'AngularWebpackPlugin')
  const rule = compiler.options.module.rules[0] as { enforce?: string; use?: unknown } | undefined
  if (!angular || rule?.enforce !== 'pre' || typeof rule.use !== 'function') return false
  rule.enforce = 'post'
  return true
}

function isNodeTarget(compiler: WebpackLikeCompiler): boolean {
  if (compiler.platform?.node) return true
  const targets = [compiler.options.target].flat()
  return targets.some((target) => typeof target === 'string' && /^(?:async-)?node\b|^electron-main\b/.test(target))
}

/**
 * A persistent cache (webpack's `filesystem`, Rspack's `persistent`) keeps a module's
 * build until its files or the config file change, not the options our loader was
 * given: options from environment variables would serve modules rewritten with other
 * ones. `cache.version` is the key both offer for what the files do not show (read
 * when the cache is set up, after plugins are applied); ours joins the user's, so a
 * change of options starts a new cache, as a changed config file does.
 */
function keyPersistentCache(compiler: WebpackLikeCompiler, key: string): void {
  const cache = compiler.options.cache
  if (typeof cache !== 'object' || (cache.type !== 'filesystem' && cache.type !== 'persistent')) return
  cache.version = cache.version ? `${cache.version}|${key}` : key
}

/**
 * webpack and Rspack find workers while parsing a module, after the loaders: a
 * rewritten `new TracedWorker(new URL('./w.js', import.meta.url))` (src/analyze.ts) is
 * one because this syntax is added to theirs (`module.parser.javascript.worker`,
 * https://webpack.js.org/configuration/module/#moduleparserjavascriptworker), unless
 * the user turned worker parsing off.
 */
function findRewrittenWorkers(compiler: WebpackLikeCompiler): void {
  const parser = (compiler.options.module.parser ??= {})
  const javascript = (parser.javascript ??= {})
  if (javascript.worker === false) return
  const syntax = Array.isArray(javascript.worker) ? javascript.worker : ['...']
  javascript.worker = [...syntax, ...WORKER_HELPERS].filter((item, index, all) => all.indexOf(item) === index)
}

/** Our worker helpers as webpack's worker syntax names them (an import of the configured runtime). */
const WORKER_HELPERS = ['TracedWorker', 'TracedSharedWorker'].map((name) => `${name} from ${RUNTIME_MODULE}`)

/**
 * webpack and Rspack. Fills `state.root` (the compiler's `context`), `state.server`
 * (its target, per compilation) and `state.entries` (modules nobody imports, as they
 * are resolved).
 */
export function webpackLikeHost(build: Build): Host {
  const { state, options } = build

  const setUp = (compiler: WebpackLikeCompiler): void => {
    state.root = compiler.context
    state.compiledModules = runAfterAngular(compiler)
    keyPersistentCache(compiler, `${PACKAGE_NAME}:${options.hash}:${build.sentrySdk() ?? ''}`)
    compiler.hooks.compilation.tap(PACKAGE_NAME, (_compilation, { normalModuleFactory }) => {
      // Defaults (and with them `platform`) are applied after plugins; read the target per compilation.
      state.server = !options.ssr && isNodeTarget(compiler)
      // An entry is a module nobody imports (docs/bundlers.md): rspack 2 cannot tell the
      // issuer later, and reading `compilation.entries` from a loader crashes it.
      normalModuleFactory.hooks.afterResolve.tap(PACKAGE_NAME, (data) => {
        const resource = data.createData?.resource
        if (!resource) return
        if (data.contextInfo.issuer === '') state.entries.add(stripQuery(resource))
        // The module a `new Worker(new URL(...))` starts: the entry of a worker.
        else if (data.dependencyType === 'worker') workerEntries.add(stripQuery(resource))
      })
    })
    // The configured runtime is imported for its side effects by entries: a
    // `"sideEffects": false` in the app's package.json must not drop it.
    compiler.options.module.rules.push({ test: RUNTIME_MODULE_ID, sideEffects: true })
    findRewrittenWorkers(compiler)
  }
  /** Entries of workers, as file paths. */
  const workerEntries = new Set<string>()

  return {
    transformFilter: { id: options.idFilter },
    runtimeModuleId: RUNTIME_MODULE,
    isServer: () => !options.ssr && state.server,
    isEntry: (_context, id) => state.entries.has(stripQuery(id)) || (workerEntries.has(stripQuery(id)) && 'worker'),
    // Both bundle CommonJS, so a script stays a script; but they parse `.mjs` and files of
    // `"type": "module"` packages as strict ES modules (`javascript/esm`), without `require`.
    scriptWiring(context) {
      const native = (context as { getNativeBuildContext?(): { loaderContext?: { _module?: { type?: string } } } }).getNativeBuildContext?.()
      return native?.loaderContext?._module?.type === 'javascript/esm' ? 'import' : 'require'
    },
    // A loader's thrown error is printed with its module.
    fail(_context, error) {
      const shaped = toPluginError(error)
      throw shaped ? webpackError(shaped) : error
    },
    logger(context) {
      const native = (context as NativeBuildContext).getNativeBuildContext?.()
      if (!native?.compiler) return state.logger ?? consoleLogger
      const compiler = native.compiler as WebpackLikeCompiler
      const compilation = native.compilation as WebpackLikeCompilation | undefined
      const log = compiler.getInfrastructureLogger(PACKAGE_NAME)
      return {
        // The infrastructure logger names the plugin itself.
        info: (message) => log.info(message),
        // A compilation warning: shown in stats, counted by `stats.hasWarnings()`.
        warn: (message) => (compilation ? compilation.warnings.push(new Error(`${LOG_PREFIX} ${message}`)) : log.warn(message)),
      }
    },
    compiledCode: () => state.compiledModules,
    incomingMap(context) {
      // Only under Angular for now: other webpack builds keep their sites where the loader found them.
      const map = state.compiledModules ? (context as NativeBuildContext).getNativeBuildContext?.()?.inputSourceMap : undefined
      return (typeof map === 'string' ? JSON.parse(map) : map) as EncodedSourceMap | null | undefined
    },
    keepSites(context, sites) {
      const module = (context as NativeBuildContext).getNativeBuildContext?.()?.loaderContext?._module
      if (module?.buildInfo) module.buildInfo[SITES] = sites
      // Rspack's resolve data does not say which modules workers start: the module's
      // `new Worker(new URL('./w.js', import.meta.url))` does, before the worker is built.
      if (!module?.resource) return
      for (const site of sites) {
        if (site.kind === 'worker' && site.url && /^\.\.?\//.test(site.url)) workerEntries.add(stripQuery(resolve(dirname(stripQuery(module.resource)), site.url)))
      }
    },
    restoreCachedSites(context) {
      const compilation = (context as NativeBuildContext).getNativeBuildContext?.()?.compilation as { modules?: Iterable<CachedModule> } | undefined
      for (const module of compilation?.modules ?? []) {
        const sites = module.buildInfo?.[SITES] as Site[] | undefined
        if (!sites || !module.resource) continue
        state.reached++
        if (!state.sites.has(module.resource)) state.sites.record(module.resource, sites)
      }
    },
    shippedModules(context) {
      const compilation = (context as NativeBuildContext).getNativeBuildContext?.()?.compilation as ChunkedCompilation | undefined
      if (!compilation?.chunks || !compilation.chunkGraph) return undefined
      const shipped: string[] = []
      const add = (module: ChunkModule) => {
        if (module.resource) shipped.push(module.resource)
        // A concatenated module (scope hoisting) holds the modules it joined.
        for (const inner of module.modules ?? []) add(inner)
      }
      for (const chunk of compilation.chunks) for (const module of compilation.chunkGraph.getChunkModulesIterable(chunk)) add(module)
      return shipped
    },
    hooks: {
      webpack: (compiler) => setUp(compiler as unknown as WebpackLikeCompiler),
      rspack: (compiler) => setUp(compiler as unknown as WebpackLikeCompiler),
    },
  }
}
