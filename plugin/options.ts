import { createHash } from 'node:crypto'
import { accessSync, constants, statSync, type Stats } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { LOG_PREFIX } from '../src/names.js'
import { checkBoolean, checkModuleName, describe, OptionsError, SCRIPT_ID, type ResolvedOptions, type RewriteOptions } from '../src/options.js'
import { resolveCached } from '../src/transform.js'
import { RUNTIME_MODULE_ID } from './virtual.js'

/**
 * Options of the bundler plugins (`unplugin-sentry-trace/vite`, `/webpack`, `/esbuild`,
 * `/rollup`, `/rspack`, `/rolldown`): every rewrite option, plus what only a whole
 * build can do.
 */
/** A script id with a query after its extension. */
const SCRIPT_ID_BEFORE_QUERY = /\.[cm]?[jt]sx?\?/

export interface PluginOptions extends RewriteOptions {
  /**
   * Write every call site of the build to this JSON file, resolved against the
   * project root: the nearest folder with a `package.json` at or above the bundler's
   * root (Vite `root`, webpack/Rspack `context`, esbuild `absWorkingDir`, the working
   * directory for Rollup and Rolldown), or that root when there is none. Each site
   * has `file` (relative to the project root), `line` (1-based), `column` (0-based), `kind` (`fetch`, `xhr`,
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

/** The names {@link PluginOptions} adds to the rewrite options. */
export const PLUGIN_OPTION_NAMES = ['report', 'ssr', 'sentry'] as const satisfies ReadonlyArray<Exclude<keyof PluginOptions, keyof RewriteOptions>>

/** Every name the type declares is listed (a compile error otherwise): the unknown-key check and the README test rely on it. */
const _everyPluginOption: [Exclude<keyof PluginOptions, keyof RewriteOptions | (typeof PLUGIN_OPTION_NAMES)[number]>] extends [never] ? true : never = true
void _everyPluginOption

/** The bundler options with every default filled: what the plugin reads, never the user's object. */
export interface ResolvedPluginOptions {
  rewrite: ResolvedOptions
  /** The report file as given (resolved against the project root once the bundler's root is known). */
  report: string | undefined
  ssr: boolean
  /** The Sentry SDK module to connect, `false` for none, `'detect'` to look in the project's package.json. */
  sentry: string | false | 'detect'
  /**
   * The id filter handed to the bundler. `include` and `exclude` are applied exactly by
   * `transformResolved`; natively only the default is, since globs are read differently
   * by each bundler's filter engine. A RegExp of `exclude` is safe to apply natively
   * too: it only excludes.
   */
  idFilter: { include?: RegExp[]; exclude: RegExp[] }
  /** The same for hosts whose filter is a single RegExp (esbuild's onLoad): scripts, unless `include` says more. */
  idPattern: RegExp
  /**
   * Changes whenever the rewrite would (debug output and the report file left out):
   * part of the keys of caches that hash plugin names or config files, not options.
   */
  hash: string
}

const EMPTY: PluginOptions = Object.freeze({})
const resolvedPlugins = new WeakMap<object, ResolvedPluginOptions>()

/**
 * Check and fill the bundler options, once per options object; throws an
 * `OptionsError` naming the option. Every entry calls it as the plugin is created.
 */
export function resolvePluginOptions(user: PluginOptions | undefined = EMPTY): ResolvedPluginOptions {
  const cached = typeof user === 'object' && user !== null ? resolvedPlugins.get(user) : undefined
  if (cached) return cached
  const rewrite = resolveCached(user, PLUGIN_OPTION_NAMES)
  if (user.report !== undefined && (typeof user.report !== 'string' || user.report === '')) {
    throw new OptionsError(`${LOG_PREFIX} \`report\` must be a file path, got ${describe(user.report)}`)
  }
  checkBoolean(user.ssr, 'ssr')
  if (user.sentry !== undefined && user.sentry !== false) checkModuleName(user.sentry, 'sentry')
  const exclude = [RUNTIME_MODULE_ID, ...[user.exclude].flat().filter((pattern) => pattern instanceof RegExp)]
  const resolved: ResolvedPluginOptions = {
    rewrite,
    report: user.report,
    ssr: user.ssr ?? false,
    sentry: user.sentry ?? 'detect',
    // Bundlers test ids with their query: Vite dev serves dependencies left out of
    // pre-bundling as `x.js?v=<hash>`, workers as `w.js?worker_file`.
    idFilter: user.include === undefined ? { include: [SCRIPT_ID, SCRIPT_ID_BEFORE_QUERY], exclude } : { exclude },
    idPattern: user.include === undefined ? SCRIPT_ID : /.*/,
    hash: optionsHash(user),
  }
  resolvedPlugins.set(user, resolved)
  return resolved
}

function optionsHash(user: PluginOptions): string {
  const { debug: _debug, report: _report, ...relevant } = user
  const json = JSON.stringify(relevant, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value))
  return createHash('sha256').update(json).digest('hex').slice(0, 8)
}

/**
 * Where `report` will be written, checked before the build writes anything: not a
 * folder, and in a folder that exists or can be created, writable. Throws an
 * `OptionsError` that says which.
 */
/** What is at `path`, or undefined when nothing is (a missing entry, or a file where a folder would be: Node 20 throws ENOTDIR for that one). */
function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

export function checkReportTarget(root: string, report: string): string {
  const target = resolve(root, report)
  const problem = (reason: string) => new OptionsError(`${LOG_PREFIX} \`report\` (${JSON.stringify(report)}) cannot be written: ${reason}`)
  if (statIfAny(target)?.isDirectory()) throw problem(`${target} is a folder`)
  let folder = dirname(target)
  for (let stat = statIfAny(folder); !stat; stat = statIfAny(folder)) {
    if (dirname(folder) === folder) throw problem(`no part of ${dirname(target)} exists`)
    folder = dirname(folder)
  }
  if (!statSync(folder).isDirectory()) throw problem(`${folder} is a file, not a folder`)
  try {
    accessSync(folder, constants.W_OK)
  } catch {
    throw problem(`${folder} is not writable`)
  }
  return target
}
