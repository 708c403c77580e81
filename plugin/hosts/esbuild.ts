import type { Loader, Metafile, OnLoadResult, PluginBuild } from 'esbuild'
import { readFileSync } from 'node:fs'
import { dirname, resolve as resolvePath } from 'node:path'
import { PACKAGE_NAME } from '../../src/names.js'
import { escapeRegExp, stripQuery } from '../../src/options.js'
import type { Build } from '../build.js'
import { esbuildMessage, toPluginError } from '../errors.js'
import { RUNTIME_FILES, RUNTIME_MODULE, RUNTIME_MODULE_REQUEST, RUNTIME_REQUESTS } from '../virtual.js'
import { consoleLogger, type Host } from './host.js'

/** esbuild's default loaders of script extensions. */
const ESBUILD_LOADERS: Record<string, Loader> = { '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx' }
const SCRIPT_LOADERS = new Set<Loader>(['js', 'jsx', 'ts', 'tsx'])

/**
 * The loader esbuild would use for `path`, as it picks one: the build's `loader`
 * option by the longest matching suffix (`.worker.js` before `.js`, case as
 * written), else its default for the extension. Undefined unless it is a script
 * loader: a file the build loads as text, say, is not code to rewrite.
 */
export function esbuildLoader(path: string, loaders: Record<string, Loader>): Loader | undefined {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
  for (let dot = name.indexOf('.', 1); dot >= 0; dot = name.indexOf('.', dot + 1)) {
    const loader = loaders[name.slice(dot)] ?? ESBUILD_LOADERS[name.slice(dot)]
    if (loader) return SCRIPT_LOADERS.has(loader) ? loader : undefined
  }
  return undefined
}

/** The name of Angular's compiler plugin in its esbuild-based application builder (`@angular/build`). */
const ANGULAR_COMPILER_PLUGIN = 'angular-compiler'

/**
 * Said whatever the log level: Angular's builder sets `logLevel: 'silent'`, and its
 * compiler plugin answers the onLoad of every script before any plugin a builder
 * extension adds after it, so the build would otherwise end without a word.
 */
export const UNDER_ANGULAR =
  "runs after Angular's compiler plugin, which loads every script itself: nothing will be rewritten. " +
  'Trace HttpClient with the interceptor of unplugin-sentry-trace/angular (README: Angular).'

/**
 * esbuild. unplugin emulates `transform` with one onLoad that reads every file
 * through promises; this host loads scripts itself instead, and serves the runtime
 * module in its own namespace. Fills `state.root` (`absWorkingDir`), `state.server`
 * (`platform: 'node'`), `state.logger` (by `logLevel`) and `state.entries` (the
 * entry points, resolved by esbuild).
 */
export function esbuildHost(build: Build): Host {
  const { state, options } = build

  /**
   * esbuild's load of a script file: read here and handed back rewritten, or left to
   * esbuild (undefined) when there is nothing to do. A synchronous read: esbuild calls
   * this for every script, and for small files the promise round trips cost more
   * than the read. Any namespace whose path is a file on disk counts (Yarn PnP's
   * plugin puts every module in `pnp`).
   */
  const load = (path: string, suffix: string, loaders: Record<string, Loader> = {}): OnLoadResult | undefined => {
    const id = path + suffix
    const loader = esbuildLoader(path, loaders)
    if (state.server || !loader || !options.rewrite.filter(id)) return undefined
    let code: string
    try {
      code = readFileSync(path, 'utf8')
    } catch {
      return undefined
    }
    let result
    try {
      result = build.transform(code, id, state.entries.has(stripQuery(id)), 'require')
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
      resolveDir: dirname(path),
      watchFiles: [path],
    }
  }

  return {
    finishesAtOutput: true,
    isServer: () => state.server,
    isEntry: (_context, id) => state.entries.has(stripQuery(id)),
    scriptWiring: () => 'require',
    // Only from unplugin's onStart (the report check): esbuild prints a thrown error's message.
    fail(_context, error) {
      const shaped = toPluginError(error)
      throw shaped ? Object.assign(new Error(shaped.message), { code: shaped.code }) : error
    },
    logger: () => state.logger ?? consoleLogger,
    hooks: {
      esbuild: {
        async setup(esbuild) {
          const { initialOptions } = esbuild
          state.root = initialOptions.absWorkingDir ?? process.cwd()
          state.server = initialOptions.platform === 'node' && !options.ssr
          if (initialOptions.plugins?.some((plugin) => plugin.name === ANGULAR_COMPILER_PLUGIN)) consoleLogger.warn(UNDER_ANGULAR)
          const level = initialOptions.logLevel ?? 'warning'
          // esbuild's own rule: info is printed from `logLevel: 'info'` on (the CLI's default,
          // not the JS API's), warnings unless silenced.
          state.logger = {
            info: (message) => ['info', 'debug', 'verbose'].includes(level) && consoleLogger.info(message),
            warn: (message) => !['silent', 'error'].includes(level) && consoleLogger.warn(message),
          }
          esbuild.onResolve({ filter: RUNTIME_REQUESTS }, ({ path }) =>
            RUNTIME_MODULE_REQUEST.test(path) ? { path: RUNTIME_MODULE, namespace: PACKAGE_NAME, sideEffects: true } : { path: RUNTIME_FILES.get(path)! },
          )
          esbuild.onLoad({ filter: /.*/, namespace: PACKAGE_NAME }, () => ({ contents: build.runtimeSource(), loader: 'js', resolveDir: state.root }))
          // A rebuild (watch mode, `context().rebuild()`) loads every file again.
          esbuild.onStart(() => state.sites.clear())
          // Which files ship: the metafile's inputs of each output. Asked for here if
          // the build did not, and then taken off the result again.
          const metafileAdded = !initialOptions.metafile && !state.server
          if (metafileAdded) initialOptions.metafile = true
          // After unplugin's onEnd (its `buildEnd`, registered before this setup runs).
          esbuild.onEnd(async (result) => {
            const metafile = result.metafile
            if (metafileAdded) delete result.metafile
            if (state.server || result.errors.length || !metafile) return
            build.finishOutput(state.logger ?? consoleLogger, shippedInputs(metafile, state.root))
            await build.writeReport()
          })
          // esbuild calls into JS for every file this matches: only scripts, unless `include` says more.
          esbuild.onLoad({ filter: options.idPattern }, (args) =>
            // Imported with attributes (`with { type: 'json' }`): esbuild decides what it is.
            Object.keys(args.with ?? {}).length ? undefined : load(args.path, args.suffix ?? '', initialOptions.loader),
          )
          await collectEntries(esbuild, state.entries)
        },
      },
    },
  }
}

/**
 * The files with code in some output: metafile paths are relative to the working
 * directory, those of other namespaces prefixed with it (`pnp:/...`).
 */
function shippedInputs(metafile: Metafile, root: string): string[] {
  const files: string[] = []
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) files.push(resolvePath(root, input.replace(/^[a-z][\w-]*:(?=\/)/i, '')))
    }
  }
  return files
}

/**
 * Entry points as the user wrote them (array of paths, of `{ in, out }`, or an
 * object), resolved by esbuild itself so extensionless and package entries count.
 */
async function collectEntries(build: PluginBuild, entries: Set<string>): Promise<void> {
  const points = build.initialOptions.entryPoints
  if (!points) return
  const specifiers = Array.isArray(points) ? points.map((point) => (typeof point === 'string' ? point : point.in)) : Object.values(points)
  if (!specifiers.length) return
  const guard = Symbol.for(`${PACKAGE_NAME}:resolving-entry`)
  // esbuild hands relative entries to plugins with a `./` in front (`src/main.ts` -> `./src/main.ts`).
  const filter = new RegExp(`^(?:\\./)?(?:${specifiers.map((specifier) => escapeRegExp(specifier.replace(/^\.\//, ''))).join('|')})$`)
  build.onResolve({ filter }, async (args) => {
    if (args.kind !== 'entry-point' || (args.pluginData as Record<symbol, unknown> | undefined)?.[guard]) return undefined
    const result = await build.resolve(args.path, { kind: 'entry-point', resolveDir: args.resolveDir, pluginData: { [guard]: true } })
    if (!result.errors.length && result.namespace === 'file') entries.add(resolvePath(result.path))
    return undefined
  })
}
