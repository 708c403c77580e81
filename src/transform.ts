import { fileURLToPath } from 'node:url'
import { analyzeProgram, WORKER_HELPERS, type Plan, type Site } from './analyze.js'
import { planPreamble, runtimeWiring, type ScriptWiring } from './inject.js'
import { checkBoolean, checkModuleName, resolveOptions, stripQuery, TRANSFORM_OPTION_NAMES, type ResolvedOptions, type RewriteOptions, type TransformOptions } from './options.js'
import { LOG_PREFIX, RUNTIME_MARKER } from './names.js'
import { parseModule, toTransformError } from './parse.js'
import { writeText, type SourceMap } from './write-text.js'

export interface TransformResult {
  code: string
  map: SourceMap
  sites: Site[]
}

// The runtime itself reads `globalThis.fetch`; rewriting it would make it call itself.
const RUNTIME_DIR = fileURLToPath(new URL('../runtime/', import.meta.url)).replace(/\\/g, '/')


/** A runtime file: marked as one, or (when the marker was stripped by an earlier transform) this package's own. */
export function isRuntimeFile(id: string, code?: string): boolean {
  if (code !== undefined && code.startsWith(RUNTIME_MARKER, code.charCodeAt(0) === 0xfeff ? 1 : 0)) return true
  return stripQuery(id).replace(/\\/g, '/').startsWith(RUNTIME_DIR)
}

const resolvedCache = new WeakMap<object, ResolvedOptions>()
const warned = new Set<string>()

/**
 * Resolve once per options object; print each resolution warning once per process.
 * `extraNames`: as for `resolveOptions` (the same object always comes with the same names).
 */
export function resolveCached(options: RewriteOptions = {}, extraNames: readonly string[] = []): ResolvedOptions {
  let resolved = typeof options === 'object' && options !== null ? resolvedCache.get(options) : undefined
  if (!resolved) {
    resolved = resolveOptions(options, extraNames)
    resolvedCache.set(options, resolved)
    for (const warning of resolved.warnings) {
      if (warned.has(warning)) continue
      warned.add(warning)
      console.warn(warning)
    }
  }
  return resolved
}

/**
 * Rewrite the outgoing-request call sites of one module.
 *
 * `null`: nothing to do (filtered out, or no candidate name in the text). Throws
 * a `TransformError` (file, line, column, code frame) when the input does not parse.
 */
export function transform(code: string, id: string, options: TransformOptions = {}): TransformResult | null {
  const resolved = resolveCached(options, TRANSFORM_OPTION_NAMES)
  checkBoolean(options.entry, 'entry')
  checkModuleName(options.runtimeModule, 'runtimeModule')
  return transformResolved(code, id, resolved, { entry: options.entry ?? false, runtimeModule: options.runtimeModule })
}

export interface TransformContext {
  /** `worker`: the entry of a worker the bundler builds, which first picks up the trace its page handed over. */
  entry: boolean | 'worker'
  runtimeModule: string | undefined
  /** How a file without ESM syntax reaches the runtime (see `ScriptWiring`); `require` unless the host says otherwise. */
  scripts?: ScriptWiring
  /** The module is a framework component its plugin compiled to JavaScript: accepted by `componentFilter`, not `filter`. */
  component?: boolean
  /**
   * Rewrite only the worker sites (`only`) or all but them (`skip`): where a bundler
   * finds `new Worker(new URL(...))` in the text after this transform, its sites are
   * rewritten in a later pass (hosts/vite.ts).
   */
  workers?: 'skip' | 'only'
}

export function transformResolved(code: string, id: string, options: ResolvedOptions, context: TransformContext): TransformResult | null {
  if (!(context.component ? options.componentFilter(id) : options.filter(id)) || isRuntimeFile(id, code)) return null
  if (!context.entry && !options.candidates.test(code)) return null
  const file = parseModule(code, id)
  let plan: Plan
  try {
    plan = analyzeProgram(file.program, options, code, id)
  } catch (error) {
    throw toTransformError(error, code, id)
  }
  if (context.workers) plan = workerPart(plan, context.workers === 'only')
  if (plan.sites.length === 0 && plan.edits.length === 0 && !context.entry) return null
  const preamble = planPreamble(file.program, code, plan, runtimeWiring(options, context.runtimeModule), context.entry, context.scripts)
  const output = writeText(code, id, file.program, plan, preamble)
  if (options.debug) logSites(id, plan.sites)
  return { code: output.code, map: output.map, sites: plan.sites }
}

/** The worker sites and edits of `plan` (`workers`), or all the others. */
function workerPart(plan: Plan, workers: boolean): Plan {
  return {
    ...plan,
    sites: plan.sites.filter((site) => (site.kind === 'worker') === workers),
    edits: plan.edits.filter((edit) => WORKER_HELPERS.has(edit.helper) === workers),
  }
}

export function logSites(id: string, sites: Site[]): void {
  for (const site of sites) {
    console.info(`${LOG_PREFIX} ${id}:${site.line}:${site.column + 1} ${site.kind} ${site.decision}${site.url ? ` ${site.url}` : ''}`)
  }
}
