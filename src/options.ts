import { createFilter, type FilterPattern } from '@rollup/pluginutils'
import type { TracePropagationTarget } from '../runtime/match.js'
import { matchesEveryString } from './decide.js'
import { LOG_PREFIX } from './names.js'

export type { FilterPattern, TracePropagationTarget }

/**
 * What to rewrite and how: the options every way in shares (the bundler plugins'
 * `PluginOptions`, the Babel plugin's `BabelPluginOptions`, `transform()`'s
 * `TransformOptions` add their own on top).
 *
 * Everything here is decided at build time; the few values the browser needs
 * (`tracePropagationTargets`, `propagateTraceparent`) are written into the
 * bundle once, by the runtime configuration.
 */
export interface RewriteOptions {
  /**
   * Which outgoing requests get `sentry-trace` and `baggage`, with the exact
   * semantics of the Sentry browser SDK (v11) option of the same name:
   *
   * - unset: only requests to the page's own origin;
   * - a string matches if it occurs anywhere in the resolved URL (query included);
   * - a RegExp is tested against the resolved URL, and also against the path of
   *   same-origin requests, so `/^\/api/` traces same-origin `/api` calls;
   * - matching ignores case: the URL and string targets are compared lower-cased,
   *   and a RegExp is used as if it had the `i` flag (`/^\/api/` matches `/API`);
   * - `g` and `y` flags are accepted and dropped, so a RegExp keeps no state
   *   between requests;
   * - `[]` never attaches headers (and leaves every call site untouched).
   *
   * A target that matches every URL (`''`, `/(?:)/`, `new RegExp('.*')`) sends
   * headers to every origin; the build warns about it, as it often comes from an
   * unset environment variable.
   *
   * Cross-origin targets must answer CORS preflights with
   * `Access-Control-Allow-Headers: sentry-trace, baggage`, or the browser fails the request.
   *
   * @default undefined (same origin)
   */
  tracePropagationTargets?: TracePropagationTarget[]

  /**
   * Old name of `tracePropagationTargets`, accepted as an alias.
   * @deprecated use `tracePropagationTargets`
   */
  tracingOrigins?: TracePropagationTarget[]

  /**
   * Also send a W3C `traceparent` header on traced requests. Off by default: it is
   * one more header that cross-origin servers must allow in CORS.
   * @default false
   */
  propagateTraceparent?: boolean

  /**
   * Files to rewrite (picomatch globs or RegExps, matched against the module id
   * without its query). Dependencies in `node_modules` are included by default.
   * @default [/\.[cm]?[jt]sx?$/]
   */
  include?: FilterPattern

  /**
   * Files never to rewrite.
   * @default undefined
   */
  exclude?: FilterPattern

  /**
   * Module names whose default export is an axios instance (import or require).
   * @default ['axios']
   */
  axios?: string[]

  /**
   * Print every rewritten call site and its decision.
   * @default false
   */
  debug?: boolean

  /**
   * The pages the app runs on, which the decisions taken at build time must hold for.
   *
   * - `'http'`: pages served over http(s), and workers. Every call whose answer is
   *   the same on all of them is settled at build time.
   * - `'any'`: pages of other schemes too (Electron's `file:` or `app:`, Capacitor,
   *   Tauri, browser extensions), where a relative URL resolves against that scheme:
   *   only calls to absolute http(s) URLs are settled at build time, the others are
   *   checked in the browser by the runtime rule.
   *
   * @default 'http'
   */
  pages?: 'http' | 'any'
}

/**
 * Options of a single `transform()` call, on top of {@link RewriteOptions}.
 */
export interface TransformOptions extends RewriteOptions {
  /**
   * This module is an entry point of the app: import the meta-tag pickup first
   * thing, so the page continues the backend's trace before any app code runs.
   * @default false
   */
  entry?: boolean

  /**
   * Module the rewritten code imports its helpers from. The bundler plugins set
   * this to a module that configures the runtime once for the whole build; when
   * unset, the published runtime is imported and each rewritten file configures
   * it with the same options (repeated calls are free).
   */
  runtimeModule?: string
}

export interface ResolvedOptions {
  targets: TracePropagationTarget[] | undefined
  propagateTraceparent: boolean
  filter: (id: string) => boolean
  /**
   * A framework component compiled to JavaScript in its own module (`App.vue`,
   * `Counter.svelte`, no `lang.xx` in the query), matched against the filter as
   * `App.vue.js`: rewritten after the framework's plugin compiled it, never as source.
   */
  componentFilter: (id: string) => boolean
  axiosModules: string[]
  debug: boolean
  pages: 'http' | 'any'
  /** Warnings produced while resolving (the `tracingOrigins` deprecation, a target that matches every URL). */
  warnings: string[]
  /**
   * The cheap text test run before any parse: a module without one of these names
   * has no call site. Axios is reached through its module name, whatever the
   * binding is called. Bundlers also use it as their native code filter.
   */
  candidates: RegExp
}

/** Options that cannot be used, found when the plugin is created (or, for `report`, before the build writes). */
export class OptionsError extends Error {
  override name = 'SentryTraceOptionsError'
  /** Stable, for tools that match on it (bundlers show it with the message). */
  readonly code = 'SENTRY_TRACE_INVALID_OPTIONS'
}

/** Scripts: JS and TS modules of every flavour. */
export const SCRIPT_ID = /\.[cm]?[jt]sx?$/

const DEFAULT_INCLUDE = [SCRIPT_ID]

/** Single-file components that Vue's and Svelte's Vite plugins compile into the module of the same id. */
export const COMPONENT_FILE = /\.(?:vue|svelte)$/

/** A component's module or one of its virtual sub-modules (`App.vue?vue&type=script&setup=true&lang.ts`). */
export function isComponentModule(id: string): boolean {
  return COMPONENT_FILE.test(stripQuery(id))
}

/** TypeScript declaration files (`x.d.ts`, `x.d.mts`, `x.d.cts`, `x.d.css.ts`): types only, never code to rewrite. */
const DECLARATION_FILE = /\.d(?:\.[^./\\]+)?\.[cm]?ts$/

/** Files of the Sentry JavaScript SDKs, in any package layout (pnpm's `.pnpm/@sentry+x@v/node_modules/@sentry/x` too). */
const SENTRY_SDK_FILE = /[\\/]node_modules[\\/]@sentry(?:-internal)?[\\/]/

/**
 * Check the targets. A RegExp with `g` or `y` is replaced by a copy without them, so
 * the bundle carries no stateful pattern; the runtime adds the `i` flag itself, as the
 * SDK does, so the configuration keeps each pattern as it was written.
 */
function validateTargets(value: unknown, name: string, warnings: string[]): TracePropagationTarget[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) {
    throw new OptionsError(`${LOG_PREFIX} \`${name}\` must be an array of strings or RegExps, got ${describe(value)}`)
  }
  return value.map((target: unknown, index) => {
    if (typeof target !== 'string' && !(target instanceof RegExp)) {
      throw new OptionsError(`${LOG_PREFIX} \`${name}[${index}]\` must be a string or a RegExp, got ${describe(target)}`)
    }
    if (matchesEveryString(target)) {
      warnings.push(
        `${LOG_PREFIX} \`${name}[${index}]\` (${typeof target === 'string' ? JSON.stringify(target) : String(target)}) matches every URL: ` +
          'every request, to any origin, gets trace headers. Is it built from an unset environment variable?',
      )
    }
    return typeof target === 'string' || !(target.global || target.sticky) ? target : new RegExp(target, target.flags.replace(/[gy]/g, ''))
  })
}

/** A value as an option error shows it: `number 42`, `string "yes"`, `a function`. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof RegExp) return `the RegExp ${String(value)}`
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'bigint' || typeof value === 'symbol') return `${typeof value} ${String(value)}`
  return `${typeof value} ${JSON.stringify(value)}`
}

/** The names of {@link RewriteOptions}: what every way in accepts. */
export const REWRITE_OPTION_NAMES = [
  'tracePropagationTargets',
  'tracingOrigins',
  'propagateTraceparent',
  'include',
  'exclude',
  'axios',
  'debug',
  'pages',
] as const satisfies ReadonlyArray<keyof RewriteOptions>

/** The names {@link TransformOptions} adds. */
export const TRANSFORM_OPTION_NAMES = ['entry', 'runtimeModule'] as const satisfies ReadonlyArray<Exclude<keyof TransformOptions, keyof RewriteOptions>>

// Every name the types declare is listed (a compile error otherwise): the unknown-key check and the README test rely on it.
const _everyRewriteOption: [Exclude<keyof RewriteOptions, (typeof REWRITE_OPTION_NAMES)[number]>] extends [never] ? true : never = true
const _everyTransformOption: [Exclude<keyof TransformOptions, keyof RewriteOptions | (typeof TRANSFORM_OPTION_NAMES)[number]>] extends [never] ? true : never = true
void _everyRewriteOption
void _everyTransformOption

/**
 * Options must be a plain object of known names: a misspelt option would otherwise be
 * ignored without a word (`tracePropagationTarget` tracing same-origin only).
 */
export function checkOptionNames(options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionsError(`${LOG_PREFIX} options must be an object, got ${describe(options)}`)
  }
  for (const key of Object.keys(options as object)) {
    if (known.includes(key)) continue
    const closest = closestName(key, known)
    throw new OptionsError(
      `${LOG_PREFIX} unknown option \`${key}\`${closest ? `: did you mean \`${closest}\`?` : ''} (known options: ${known.join(', ')})`,
    )
  }
}

/** The known name nearest to `key` by edit distance (ignoring case), when near enough to be a typo of it. */
function closestName(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase())
    if (distance < bestDistance) [best, bestDistance] = [name, distance]
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

export function checkBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') throw new OptionsError(`${LOG_PREFIX} \`${name}\` must be a boolean, got ${describe(value)}`)
}

/** A module name or path: a non-empty string. */
export function checkModuleName(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw new OptionsError(`${LOG_PREFIX} \`${name}\` must be a module name, got ${describe(value)}`)
  }
}

/** `include` / `exclude`: a glob, a RegExp, or an array of them. */
export function checkFilterPattern(value: unknown, name: string): void {
  const isPattern = (item: unknown) => typeof item === 'string' || item instanceof RegExp
  if (value === undefined || value === null || isPattern(value)) return
  if (Array.isArray(value)) {
    const index = value.findIndex((item) => !isPattern(item))
    if (index === -1) return
    throw new OptionsError(`${LOG_PREFIX} \`${name}[${index}]\` must be a glob string or a RegExp, got ${describe(value[index])}`)
  }
  throw new OptionsError(`${LOG_PREFIX} \`${name}\` must be a glob string, a RegExp or an array of them, got ${describe(value)}`)
}

/**
 * Fill every default and validate; throws {@link OptionsError} on bad input. `extraNames`:
 * the option names the caller accepts on top of {@link RewriteOptions} (and checks itself).
 */
export function resolveOptions(options: RewriteOptions = {}, extraNames: readonly string[] = []): ResolvedOptions {
  checkOptionNames(options, [...REWRITE_OPTION_NAMES, ...extraNames])
  checkFilterPattern(options.include, 'include')
  checkFilterPattern(options.exclude, 'exclude')
  checkBoolean(options.debug, 'debug')
  const warnings: string[] = []
  let targets = validateTargets(options.tracePropagationTargets, 'tracePropagationTargets', warnings)
  const legacyWarnings: string[] = []
  const legacy = validateTargets(options.tracingOrigins, 'tracingOrigins', legacyWarnings)
  if (legacy !== undefined) {
    if (targets !== undefined) {
      warnings.push(
        `${LOG_PREFIX} both \`tracePropagationTargets\` and the deprecated \`tracingOrigins\` are set; \`tracingOrigins\` is ignored.`,
      )
    } else {
      warnings.push(`${LOG_PREFIX} \`tracingOrigins\` is deprecated; rename it to \`tracePropagationTargets\`.`, ...legacyWarnings)
      targets = legacy
    }
  }
  checkBoolean(options.propagateTraceparent, 'propagateTraceparent')
  if (options.pages !== undefined && options.pages !== 'http' && options.pages !== 'any') {
    throw new OptionsError(`${LOG_PREFIX} \`pages\` must be 'http' or 'any', got ${describe(options.pages)}`)
  }
  const axiosModules = options.axios ?? ['axios']
  if (!Array.isArray(axiosModules) || axiosModules.some((name) => typeof name !== 'string' || name === '')) {
    throw new OptionsError(`${LOG_PREFIX} \`axios\` must be an array of module names, got ${describe(options.axios)}`)
  }
  const userFilter = createFilter(options.include ?? DEFAULT_INCLUDE, options.exclude)
  // The Sentry SDK sends its envelopes with the native fetch on purpose: its own
  // requests are never traced, whatever the options.
  const idFilter = (id: string): boolean => !SENTRY_SDK_FILE.test(id) && !DECLARATION_FILE.test(id) && userFilter(id)
  return {
    targets,
    propagateTraceparent: options.propagateTraceparent ?? false,
    filter: (id) => {
      const path = stripQuery(id)
      if (idFilter(path)) return true
      // `App.vue?vue&type=script&lang.ts`: the script block of a single-file component.
      const lang = /[?&]lang\.([a-z]+)/.exec(id)?.[1]
      return lang !== undefined && idFilter(`${path}.${lang}`)
    },
    componentFilter: (id) => {
      const path = stripQuery(id)
      return COMPONENT_FILE.test(path) && !/[?&]lang\./.test(id) && idFilter(`${path}.js`)
    },
    axiosModules: axiosModules.slice(),
    debug: options.debug ?? false,
    pages: options.pages ?? 'http',
    warnings,
    candidates: new RegExp(['\\bfetch\\b', '\\bXMLHttpRequest\\b', '\\b(?:Shared)?Worker\\b', ...axiosModules.map(escapeRegExp)].join('|')),
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

export function stripQuery(id: string): string {
  const index = id.indexOf('?')
  return index === -1 ? id : id.slice(0, index)
}

/** The runtime configuration as JS source: what the browser needs, nothing else. */
export function serializeRuntimeConfig(options: ResolvedOptions): string {
  const parts: string[] = []
  if (options.targets) {
    const items = options.targets.map((target) => (typeof target === 'string' ? JSON.stringify(target) : String(target)))
    parts.push(`tracePropagationTargets: [${items.join(', ')}]`)
  }
  if (options.propagateTraceparent) parts.push('propagateTraceparent: true')
  return `{${parts.length ? ` ${parts.join(', ')} ` : ''}}`
}
