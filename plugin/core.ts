import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, resolve as resolvePath } from 'node:path'
import type { Loader, OnLoadResult, PluginBuild } from 'esbuild'
import { createUnplugin, type UnpluginContextMeta, type UnpluginFactory, type UnpluginMessage, type UnpluginOptions } from 'unplugin'
import type { HtmlTagDescriptor, Rolldown } from 'vite'
import { LOG_PREFIX as PREFIX, PACKAGE_NAME } from '../src/names.js'
import { escapeRegExp, SCRIPT_ID, stripQuery, type ResolvedOptions } from '../src/options.js'
import { sourceLine, TransformError } from '../src/parse.js'
import type { ScriptWiring } from '../src/inject.js'
import { resolveCached, transformResolved } from '../src/transform.js'
import type { PluginOptions } from './options.js'
import { corsWarnings, SiteLog, summaryLine, writeReport, type Logger, type Report } from './report.js'
import { detectSentrySdk, RUNTIME_MODULE, RUNTIME_MODULE_ID, RUNTIME_MODULE_REQUEST, RUNTIME_MODULE_ROLLUP_ID, runtimeModuleSource } from './virtual.js'

export type { PluginOptions }

const NAME = PACKAGE_NAME


type Framework = UnpluginContextMeta['framework']

const ROLLUP_LIKE: ReadonlySet<Framework> = new Set(['rollup', 'rolldown', 'vite', 'unloader'])

/**
 * What `this` offers in Rollup-like hooks beyond unplugin's common context: unplugin
 * passes the bundler's own plugin context there.
 */
interface RollupLikeContext {
  getModuleInfo?(id: string): { isEntry: boolean } | null
  /** Vite 6+: the environment the module is transformed for. */
  environment?: { config?: { consumer?: string } }
  info?(message: string): void
  warn(message: string | UnpluginMessage): void
}

interface RollupLikeError extends UnpluginMessage {
  frame?: string
}

/**
 * The id filter handed to the bundler. The user's `include` and `exclude` are applied
 * exactly by `transformResolved`; natively only the default is, since globs are read
 * differently by each bundler's filter engine.
 */
function idFilter(options: PluginOptions): { include?: RegExp[]; exclude: RegExp[] } {
  // A RegExp of the user's `exclude` is safe to apply natively too: it only excludes.
  const exclude = [RUNTIME_MODULE_ID, ...[options.exclude].flat().filter((pattern) => pattern instanceof RegExp)]
  return options.include === undefined ? { include: [SCRIPT_ID], exclude } : { exclude }
}

/** Changes whenever the rewrite would: part of Vite's pre-bundle cache key (it hashes plugin names, not options). */
export function optionsHash(options: PluginOptions): string {
  const { debug: _debug, report: _report, ...relevant } = options
  const json = JSON.stringify(relevant, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value))
  return createHash('sha256').update(json).digest('hex').slice(0, 8)
}

interface WebpackLikeCompiler {
  context: string
  options: { target?: unknown; module: { rules: unknown[] } }
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
      tap(name: string, fn: (data: { contextInfo: { issuer: string }; createData?: { resource?: string } }) => void): void
    }
  }
}

interface WebpackLikeCompilation {
  warnings: Error[]
}

/** esbuild's default loaders of script extensions. */
const ESBUILD_LOADERS: Record<string, Loader> = { '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx' }
const SCRIPT_LOADERS = new Set<Loader>(['js', 'jsx', 'ts', 'tsx'])

/**
 * The loader esbuild would use for `path`, as it picks one: the build's `loader`
 * option by the longest matching suffix (`.worker.js` before `.js`, case as
 * written), else its default for the extension. Undefined unless it is a script
 * loader: a file the build loads as text, say, is not code to rewrite.
 */
function esbuildLoader(path: string, loaders: Record<string, Loader>): Loader | undefined {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
  for (let dot = name.indexOf('.', 1); dot >= 0; dot = name.indexOf('.', dot + 1)) {
    const loader = loaders[name.slice(dot)] ?? ESBUILD_LOADERS[name.slice(dot)]
    if (loader) return SCRIPT_LOADERS.has(loader) ? loader : undefined
  }
  return undefined
}

function isNodeTarget(compiler: WebpackLikeCompiler): boolean {
  if (compiler.platform?.node) return true
  const targets = [compiler.options.target].flat()
  return targets.some((target) => typeof target === 'string' && /^(?:async-)?node\b|^electron-main\b/.test(target))
}

export const unpluginFactory: UnpluginFactory<PluginOptions | undefined, boolean> = (userOptions = {}, meta) => {
  const resolved = resolveCached(userOptions)
  const framework = meta.framework
  const rollupLike = ROLLUP_LIKE.has(framework)
  const sites = new SiteLog()

  let root = process.cwd()
  /** The bundler's log, when it has one that the user configures (level, output). */
  let logger: Logger | undefined
  /** A server bundle (SSR, Node target) that is left alone. */
  let server = false
  /** Vite's dev server: entries come from the HTML, and there is no build to report on. */
  let viteServe = false
  /** webpack, Rspack and esbuild entries, resolved to paths before they are transformed. */
  const entries = new Set<string>()

  /** The configured runtime, with the Sentry SDK interop when asked or detected. */
  const configuredRuntime = (): string => {
    if (userOptions.sentry !== undefined && userOptions.sentry !== false && typeof userOptions.sentry !== 'string') {
      throw new TypeError(`[${NAME}] \`sentry\` must be a module name or false`)
    }
    const sdk = userOptions.sentry === false ? undefined : (userOptions.sentry ?? detectSentrySdk(root))
    return runtimeModuleSource(resolved, sdk)
  }

  const serverContext = (context: unknown, hookOptions: unknown): boolean => {
    if (userOptions.ssr) return false
    if (server) return true
    const consumer = (context as RollupLikeContext | undefined)?.environment?.config?.consumer
    if (consumer !== undefined) return consumer === 'server'
    return (hookOptions as { ssr?: boolean } | undefined)?.ssr === true
  }

  const isEntry = (context: unknown, id: string): boolean => {
    if (!rollupLike) return entries.has(stripQuery(id))
    // Vite's dev server throws on `isEntry`; its entry is the HTML (see transformIndexHtml).
    if (viteServe) return false
    return (context as RollupLikeContext).getModuleInfo?.(id)?.isEntry ?? false
  }

  /**
   * A TransformError through the bundler's error API, located at file, line and column.
   * webpack and Rspack print a loader's thrown error with its module (the message holds
   * file:line:column and the code frame); Rollup-likes throw from `this.error`. (esbuild:
   * see `loadForEsbuild`.)
   */
  const fail = (context: unknown, error: unknown): null => {
    if (!(error instanceof TransformError) || !rollupLike) throw error
    const message: RollupLikeError = {
      message: error.reason,
      id: error.id,
      loc: error.loc && { file: error.id, line: error.loc.line, column: error.loc.column },
      frame: error.frame,
    }
    ;(context as { error(message: UnpluginMessage): void }).error(message)
    return null
  }

  /** Rollup (and Vite before 8) bundles `require` only through its CommonJS plugin. */
  let commonjsPlugin = false

  /**
   * How a file without ESM syntax reaches the runtime in this host (see `ScriptWiring`):
   * `require` where the bundler bundles CommonJS, so a script stays a script; `import`
   * where every file is an ES module anyway (Vite's dev server serves source files as
   * they are; Rollup without its CommonJS plugin, or outside what that plugin handles).
   */
  const scriptWiring = (context: unknown, id: string): ScriptWiring => {
    if (!rollupLike) return 'require'
    if (viteServe) return 'import'
    // Rolldown, and Vite 8 built on it, bundle CommonJS themselves.
    if (framework === 'rolldown' || (context as { meta?: { rolldownVersion?: string } } | undefined)?.meta?.rolldownVersion) return 'require'
    return commonjsPlugin && /[\\/]node_modules[\\/]/.test(id) ? 'require' : 'import'
  }

  /** Rewrite one module of the build and keep its sites for the report; throws a TransformError. */
  const transformModule = (code: string, id: string, entry: boolean, scripts: ScriptWiring = 'require') => {
    const result = transformResolved(code, id, resolved, { entry, runtimeModule: RUNTIME_MODULE, scripts })
    if (result) sites.record(id, result.sites)
    return result
  }

  const rewrite = (context: unknown, code: string, id: string, entry: boolean) => {
    let result
    try {
      result = transformModule(code, id, entry, scriptWiring(context, id))
    } catch (error) {
      return fail(context, error)
    }
    return result && { code: result.code, map: result.map }
  }

  /** The last build's sites, written by `writeBundle` when `report` asks for a file. */
  let lastReport: Report | undefined

  const finishBuild = (context: unknown, log: Logger): void => {
    // A dev server has no build to sum up; a server bundle was left alone.
    if (viteServe || serverContext(context, undefined)) return
    const report = (lastReport = sites.report(root))
    log.info(summaryLine(report))
    for (const warning of corsWarnings(report, resolved.propagateTraceparent)) log.warn(warning)
  }

  /**
   * esbuild's load of a script file: read here and handed back rewritten, or left to
   * esbuild (undefined) when there is nothing to do. A synchronous read: esbuild calls
   * this for every script, and for small files the promise round trips of
   * `fs.promises` (what unplugin's adapter uses) cost more than the read. Any
   * namespace whose path is a file on disk counts (Yarn PnP's plugin puts every
   * module in `pnp`).
   */
  const loadForEsbuild = (path: string, suffix: string, loaders: Record<string, Loader> = {}): OnLoadResult | undefined => {
    const id = path + suffix
    const loader = esbuildLoader(path, loaders)
    if (server || !loader || !resolved.filter(id)) return undefined
    let code: string
    try {
      code = readFileSync(path, 'utf8')
    } catch {
      return undefined
    }
    let result
    try {
      result = transformModule(code, id, entries.has(stripQuery(id)))
    } catch (error) {
      if (!(error instanceof TransformError)) throw error
      const location = error.loc ? { file: error.id, line: error.loc.line, column: error.loc.column, lineText: sourceLine(code, error.loc.line) } : { file: error.id }
      return { errors: [{ text: error.reason, location }] }
    }
    if (!result) return undefined
    const map = Buffer.from(JSON.stringify(result.map)).toString('base64')
    return {
      contents: `${result.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`,
      loader,
      resolveDir: dirname(path),
      watchFiles: [path],
    }
  }

  const consoleLogger: Logger = { info: (message) => console.info(`${PREFIX} ${message}`), warn: (message) => console.warn(`${PREFIX} ${message}`) }

  const main: UnpluginOptions = {
    name: NAME,
    enforce: 'pre',

    // esbuild serves the module natively (see its setup): unplugin would give it a relative resolveDir.
    resolveId:
      framework === 'esbuild'
        ? undefined
        : {
            filter: { id: RUNTIME_MODULE_REQUEST },
            handler(id) {
              if (id !== RUNTIME_MODULE) return null
              if (!rollupLike) return RUNTIME_MODULE
              // Explicit: a `treeshake.moduleSideEffects: false` build must keep the configuration.
              return { id: RUNTIME_MODULE_ROLLUP_ID, moduleSideEffects: true } as { id: string }
            },
          },

    load:
      framework === 'esbuild'
        ? undefined
        : {
            filter: { id: RUNTIME_MODULE_ID },
            handler(id) {
              return RUNTIME_MODULE_ID.test(id) ? configuredRuntime() : null
            },
          },

    // esbuild: our own onLoad (see its setup) rather than unplugin's transform.
    transform: framework === 'esbuild' ? undefined : {
      filter: rollupLike ? { id: idFilter(userOptions), code: resolved.candidates } : { id: idFilter(userOptions) },
      handler(code, id, ...rest: unknown[]) {
        if (serverContext(this, rest[0])) return null
        return rewrite(this, code, id, isEntry(this, id))
      },
    },

    buildStart(...args: unknown[]) {
      // A Rollup-like watcher transforms only what changed: keep the other modules' sites.
      // Anything else is a new build (the same plugin object may serve several).
      const watching = (this as { meta?: { watchMode?: boolean } }).meta?.watchMode
      if (rollupLike && !watching) sites.clear()
      const plugins = (args[0] as { plugins?: Array<{ name?: string } | null | false> } | undefined)?.plugins
      commonjsPlugin = !!plugins?.some((plugin) => plugin && (plugin.name === 'commonjs' || plugin.name === 'vite:commonjs'))
    },

    watchChange(id) {
      sites.forget(id)
    },

    // After the output is written: Vite empties `outDir` only then, which would take a report inside it along.
    async writeBundle() {
      if (userOptions.report && lastReport) await writeReport(root, userOptions.report, lastReport)
    },

    buildEnd(...args: unknown[]) {
      // Rollup-likes pass the error that failed the build: nothing to sum up then.
      if (args[0]) return
      if (rollupLike) {
        const context = this as unknown as RollupLikeContext
        // Rollup and Rolldown name the plugin in their logs themselves.
        finishBuild(
          context,
          logger ?? {
            info: (message) => (context.info ? context.info(message) : consoleLogger.info(message)),
            warn: (message) => context.warn(message),
          },
        )
        return
      }
      const native = this.getNativeBuildContext?.()
      if (native && (native.framework === 'webpack' || native.framework === 'rspack')) {
        const compiler = native.compiler as unknown as WebpackLikeCompiler
        const compilation = native.compilation as unknown as WebpackLikeCompilation | undefined
        const log = compiler.getInfrastructureLogger(NAME)
        finishBuild(this, {
          // The infrastructure logger names the plugin itself.
          info: (message) => log.info(message),
          // A compilation warning: shown in stats, counted by `stats.hasWarnings()`.
          warn: (message) => (compilation ? compilation.warnings.push(new Error(`${PREFIX} ${message}`)) : log.warn(message)),
        })
        return
      }
      finishBuild(this, logger ?? consoleLogger)
    },

    vite: {
      config(_config, env) {
        viteServe = env.command === 'serve'
        if (!viteServe) return
        return { optimizeDeps: { rolldownOptions: { plugins: [dependencyPlugin(userOptions, resolved)] } } }
      },
      configResolved(config) {
        root = config.root
        logger = { info: (message) => config.logger.info(`${PREFIX} ${message}`), warn: (message) => config.logger.warn(`${PREFIX} ${message}`) }
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

    rolldown: {
      options(options) {
        if (options.cwd) root = options.cwd
        // Rolldown's own notion of a server bundle.
        server = options.platform === 'node' && !userOptions.ssr
        return null
      },
    },

    webpack(compiler) {
      setUpWebpackLike(compiler as unknown as WebpackLikeCompiler)
    },

    rspack(compiler) {
      setUpWebpackLike(compiler as unknown as WebpackLikeCompiler)
    },

    esbuild: {
      async setup(build) {
        const { initialOptions } = build
        root = initialOptions.absWorkingDir ?? process.cwd()
        server = initialOptions.platform === 'node' && !userOptions.ssr
        const level = initialOptions.logLevel ?? 'warning'
        // esbuild's own rule: info is printed from `logLevel: 'info'` on (the CLI's default,
        // not the JS API's), warnings unless silenced.
        logger = {
          info: (message) => ['info', 'debug', 'verbose'].includes(level) && consoleLogger.info(message),
          warn: (message) => !['silent', 'error'].includes(level) && consoleLogger.warn(message),
        }
        build.onResolve({ filter: RUNTIME_MODULE_REQUEST }, () => ({ path: RUNTIME_MODULE, namespace: NAME, sideEffects: true }))
        build.onLoad({ filter: /.*/, namespace: NAME }, () => ({ contents: configuredRuntime(), loader: 'js', resolveDir: root }))
        // esbuild calls into JS for every file this matches: only scripts, unless `include` says more.
        // A rebuild (watch mode, `context().rebuild()`) loads every file again.
        build.onStart(() => sites.clear())
        build.onLoad({ filter: userOptions.include === undefined ? SCRIPT_ID : /.*/ }, (args) =>
          // Imported with attributes (`with { type: 'json' }`): esbuild decides what it is.
          Object.keys(args.with ?? {}).length ? undefined : loadForEsbuild(args.path, args.suffix ?? '', initialOptions.loader),
        )
        await collectEsbuildEntries(build, entries)
      },
    },
  }

  function setUpWebpackLike(compiler: WebpackLikeCompiler): void {
    root = compiler.context
    compiler.hooks.compilation.tap(NAME, (_compilation, { normalModuleFactory }) => {
      // Defaults (and with them `platform`) are applied after plugins; read the target per compilation.
      server = !userOptions.ssr && isNodeTarget(compiler)
      // An entry is a module nobody imports (shared SPEC §6): rspack 2 cannot tell the
      // issuer later, and reading `compilation.entries` from a loader crashes it.
      normalModuleFactory.hooks.afterResolve.tap(NAME, (data) => {
        const resource = data.createData?.resource
        if (data.contextInfo.issuer === '' && resource) entries.add(stripQuery(resource))
      })
    })
    // The configured runtime is imported for its side effects by entries: a
    // `"sideEffects": false` in the app's package.json must not drop it.
    compiler.options.module.rules.push({ test: RUNTIME_MODULE_ID, sideEffects: true })
  }

  if (!rollupLike) return main

  /**
   * Entries without a call site never pass the main hook's code filter, so they get
   * their runtime import here, after it (same `enforce`, next in order): an entry it
   * rewrote already imports the runtime. Only the id is filtered natively; for any
   * module but an entry the handler is one lookup.
   */
  const entryPlugin: UnpluginOptions = {
    name: `${NAME}:entry`,
    enforce: 'pre',
    transform: {
      filter: { id: idFilter(userOptions) },
      handler(code, id, ...rest: unknown[]) {
        if (!isEntry(this, id) || code.includes(RUNTIME_MODULE) || serverContext(this, rest[0])) return null
        return rewrite(this, code, id, true)
      },
    },
    vite: { apply: 'build' },
  }
  return [main, entryPlugin]
}

/**
 * esbuild: entry points as the user wrote them (array of paths, of `{ in, out }`, or
 * an object), resolved by esbuild itself so extensionless and package entries count.
 */
async function collectEsbuildEntries(build: PluginBuild, entries: Set<string>): Promise<void> {
  const points = build.initialOptions.entryPoints
  if (!points) return
  const specifiers = Array.isArray(points)
    ? points.map((point) => (typeof point === 'string' ? point : point.in))
    : Object.values(points)
  if (!specifiers.length) return
  const guard = Symbol.for(`${NAME}:resolving-entry`)
  // esbuild hands relative entries to plugins with a `./` in front (`src/main.ts` -> `./src/main.ts`).
  const filter = new RegExp(`^(?:\\./)?(?:${specifiers.map((specifier) => escapeRegExp(specifier.replace(/^\.\//, ''))).join('|')})$`)
  build.onResolve({ filter }, async (args) => {
    if (args.kind !== 'entry-point' || (args.pluginData as Record<symbol, unknown> | undefined)?.[guard]) return undefined
    const result = await build.resolve(args.path, { kind: 'entry-point', resolveDir: args.resolveDir, pluginData: { [guard]: true } })
    if (!result.errors.length && result.namespace === 'file') entries.add(resolvePath(result.path))
    return undefined
  })
}

/**
 * Vite dev pre-bundles dependencies with Rolldown, without the app's `transform`
 * hooks: this plugin rewrites them there. The configured runtime stays external, so
 * the pre-bundled code imports the one module the app's code imports, and the page
 * keeps one trace context. Its name carries the options hash: Vite keys its
 * pre-bundle cache on plugin names, and changed options must rebuild it.
 */
function dependencyPlugin(options: PluginOptions, resolved: ResolvedOptions): Rolldown.Plugin {
  return {
    name: `${NAME}:dependencies:${optionsHash(options)}`,
    resolveId: {
      filter: { id: RUNTIME_MODULE_REQUEST },
      handler: (id) => (id === RUNTIME_MODULE ? { id, external: true } : null),
    },
    transform: {
      filter: { id: idFilter(options), code: resolved.candidates },
      handler(code, id) {
        let result
        try {
          // The configured runtime stays external here, and an external `require` does not
          // run in the browser: scripts get an import (CommonJS files keep `require`).
          result = transformResolved(code, id, resolved, { entry: false, runtimeModule: RUNTIME_MODULE, scripts: 'import' })
        } catch (error) {
          if (!(error instanceof TransformError)) throw error
          return this.error({ message: error.reason, id: error.id, loc: error.loc && { line: error.loc.line, column: error.loc.column } })
        }
        return result && { code: result.code, map: result.map as Rolldown.SourceMapInput }
      },
    },
  }
}

export const unplugin = /* #__PURE__ */ createUnplugin(unpluginFactory)

export default unplugin

