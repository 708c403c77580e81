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
  readonly state = new BuildState()

  constructor(readonly options: ResolvedPluginOptions) {}

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
  transform(code: string, id: string, entry: boolean, scripts: ScriptWiring, from: ModuleOrigin = {}): TransformResult | null {
    this.state.reached++
    const result = transformResolved(code, id, this.options.rewrite, { entry, runtimeModule: RUNTIME_MODULE, scripts, component: from.component })
    if (!result) return result
    const located = result.sites.length && isComponentModule(id) ? locateSites(result.sites, from.incomingMap) : undefined
    if (located) this.state.sites.record(id, located, stripQuery(id))
    else this.state.sites.record(id, result.sites)
    return result
  }

  /** Before anything is written: the report's place must take a file. Throws an OptionsError. */
  checkReport(): void {
    if (this.options.report !== undefined) checkReportTarget(projectRoot(this.state.root), this.options.report)
  }

  /** The end of a build that was rewritten: the summary line, the CORS warnings, and the report kept for `writeReport`. */
  finish(log: Logger): void {
    const report = (this.state.lastReport = this.state.sites.report(projectRoot(this.state.root)))
    log.info(summaryLine(report))
    if (this.state.reached === 0) log.warn(NOTHING_REACHED)
    for (const warning of corsWarnings(report, this.options.rewrite.propagateTraceparent)) log.warn(warning)
  }

  async writeReport(): Promise<void> {
    if (this.options.report !== undefined && this.state.lastReport) await writeReport(projectRoot(this.state.root), this.options.report, this.state.lastReport)
  }
}

/** The warning of a build the plugin never ran on (docs/bundlers.md says where this happens). */
export const NOTHING_REACHED =
  'was configured but reached no module of this build: no request is traced. Check `include`/`exclude`, and that no other plugin loads the files before it does (esbuild takes the first onLoad that answers).'

/** What the host knows of a module beyond its code and id. */
export interface ModuleOrigin {
  /** A framework component its plugin compiled to JavaScript (see `componentFilter`). */
  component?: boolean
  /** The map from this code back to the file, when the bundler has one (asked only for a component with sites). */
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
