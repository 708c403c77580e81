import type { ScriptWiring } from '../src/inject.js'
import type { Site } from '../src/analyze.js'
import { isComponentModule, stripQuery } from '../src/options.js'
import { transformResolved, type TransformResult } from '../src/transform.js'
import { BuildState } from './build-state.js'
import { originalPositions, type EncodedSourceMap } from './original-position.js'
import { projectRoot } from './project.js'
import { checkReportTarget, type ResolvedPluginOptions } from './options.js'
import { corsWarnings, summaryLine, writeReport, type Logger } from './report.js'
import { detectSentrySdk, RUNTIME_MODULE, runtimeModuleSource } from './virtual.js'

/**
 * One plugin instance's build, whatever the bundler: the resolved options, the state
 * its host fills, and what every host does the same way with them.
 */
export class Build {
  readonly state: BuildState
  /** The host asks for the sites still in each module after the later transforms (`SiteLog.keepMapped`). */
  checksMappedSites = false
  /** Plugins for a worker bundle the bundler builds with plugins of its own (Vite's `worker.plugins`), set by the spine. */
  workerPlugins: () => unknown = () => []

  /** `page`: the build whose workers this one bundles; the sites are kept in its log. */
  constructor(
    readonly options: ResolvedPluginOptions,
    readonly page?: Build,
  ) {
    this.state = new BuildState(page?.state.sites)
  }

  /** The Sentry SDK module the runtime connects to: as configured, or found in the project's package.json. */
  sentrySdk(): string | undefined {
    const { sentry } = this.options
    return sentry === 'detect' ? detectSentrySdk(this.state.root) : sentry || undefined
  }

  /** The configured runtime module's source. */
  runtimeSource(): string {
    this.state.reached++
    return runtimeModuleSource(this.options.rewrite, this.sentrySdk())
  }

  /**
   * Rewrite one module of the build and keep its sites for the report; throws a TransformError.
   * A component's sites are placed in the component file through the map of the code so far.
   */
  transform(code: string, id: string, entry: boolean | 'worker', scripts: ScriptWiring, from: ModuleOrigin = {}): TransformResult | null {
    this.state.reached++
    const result = transformResolved(code, id, this.options.rewrite, { entry, runtimeModule: RUNTIME_MODULE, scripts, component: from.component, workers: from.workers })
    if (!result) return result
    // A later pass over the worker sites alone keeps them next to the module's others.
    const key = from.workers === 'only' ? `${id}${id.includes('?') ? '&' : '?'}${WORKER_SITES}` : id
    const located = result.sites.length && (from.compiled || isComponentModule(id)) ? locateSites(result.sites, from.incomingMap) : undefined
    if (located) this.state.sites.record(key, located, stripQuery(id))
    // Positions in the code as received: a later transform's map can tell which of them are left (`keepMapped`).
    else this.state.sites.record(key, result.sites, id, this.checksMappedSites && !this.state.devServer && key === id ? code : undefined)
    return result
  }

  /** Before anything is written: the report's place must take a file. Throws an OptionsError. */
  checkReport(): void {
    if (this.options.report !== undefined) checkReportTarget(projectRoot(this.state.root), this.options.report)
  }

  /** A build starts: what the last one's output said is forgotten. */
  startBuild(): void {
    this.state.shipped = undefined
    this.state.workerShipped.clear()
    this.state.lastReport = undefined
  }

  /** The end of a build's modules (not of a server bundle): a plugin that reached none of them says so. */
  checkReached(log: Logger): void {
    if (this.state.reached === 0) log.warn(NOTHING_REACHED)
  }

  /** The end of a build that was rewritten: the summary line, the CORS warnings, and the report kept for `writeReport`. */
  finish(log: Logger): void {
    const report = (this.state.lastReport = this.state.sites.report(projectRoot(this.state.root), this.state.shipped))
    log.info(summaryLine(report))
    for (const warning of corsWarnings(report, this.options.rewrite.propagateTraceparent)) log.warn(warning)
  }

  /**
   * One output of a build whose host knows its modules (ids, a query allowed): they
   * ship. The first output of a build sums it up; a later one (Rollup's `output`
   * array) adds its modules to the report, which is written after each. A worker
   * bundle's modules ship with its page's build.
   */
  finishOutput(log: Logger, modules: Iterable<string>): void {
    if (this.page) {
      // A worker's bundle (built while its page's modules are): it ships with the page.
      for (const id of modules) this.page.state.workerShipped.add(id)
      return
    }
    const first = this.state.shipped === undefined
    const shipped = (this.state.shipped ??= new Set(this.state.workerShipped))
    for (const id of modules) shipped.add(id)
    if (first) this.finish(log)
    else this.state.lastReport = this.state.sites.report(projectRoot(this.state.root), shipped)
  }

  async writeReport(): Promise<void> {
    if (this.options.report !== undefined && this.state.lastReport) await writeReport(projectRoot(this.state.root), this.options.report, this.state.lastReport)
  }
}

/** The warning of a build the plugin never ran on (docs/bundlers.md says where this happens). */
export const NOTHING_REACHED =
  'was configured but reached no module of this build: no request is traced. Check `include`/`exclude`, and that no other plugin loads the files before it does (esbuild takes the first onLoad that answers).'

/** The query that keys a module's worker sites when a separate pass finds them. */
const WORKER_SITES = 'sentry-trace-workers'

/** What the host knows of a module beyond its code and id. */
export interface ModuleOrigin {
  /** This pass rewrites only the worker sites, or all but them (see `TransformContext.workers`). */
  workers?: 'skip' | 'only'
  /** A framework component its plugin compiled to JavaScript (see `componentFilter`). */
  component?: boolean
  /** The code is a compiler's output for the file (Angular's, under webpack): its sites are placed like a component's. */
  compiled?: boolean
  /** The map from this code back to the file, when the bundler has one (asked only for a component or compiled code with sites). */
  incomingMap?: () => EncodedSourceMap | null | undefined
}

/** The sites at their places in the original file; undefined unless the map places every one. */
function locateSites(sites: Site[], incomingMap: ModuleOrigin['incomingMap']): Site[] | undefined {
  let locate: ReturnType<typeof originalPositions>
  try {
    const map = incomingMap?.()
    if (!map?.mappings) return undefined
    locate = originalPositions(map)
  } catch {
    // No map here, or one that cannot be read: the sites keep their places in the module's code.
    return undefined
  }
  const located: Site[] = []
  for (const site of sites) {
    const position = locate(site.line, site.column)
    if (!position) return undefined
    located.push({ ...site, line: position.line, column: position.column })
  }
  return located
}
