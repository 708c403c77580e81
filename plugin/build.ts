import type { ScriptWiring } from '../src/inject.js'
import { transformResolved, type TransformResult } from '../src/transform.js'
import { BuildState } from './build-state.js'
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
    return runtimeModuleSource(this.options.rewrite, this.sentrySdk())
  }

  /** Rewrite one module of the build and keep its sites for the report; throws a TransformError. */
  transform(code: string, id: string, entry: boolean, scripts: ScriptWiring): TransformResult | null {
    const result = transformResolved(code, id, this.options.rewrite, { entry, runtimeModule: RUNTIME_MODULE, scripts })
    if (result) this.state.sites.record(id, result.sites)
    return result
  }

  /** Before anything is written: the report's place must take a file. Throws an OptionsError. */
  checkReport(): void {
    if (this.options.report !== undefined) checkReportTarget(this.state.root, this.options.report)
  }

  /** The end of a build that was rewritten: the summary line, the CORS warnings, and the report kept for `writeReport`. */
  finish(log: Logger): void {
    const report = (this.state.lastReport = this.state.sites.report(this.state.root))
    log.info(summaryLine(report))
    for (const warning of corsWarnings(report, this.options.rewrite.propagateTraceparent)) log.warn(warning)
  }

  async writeReport(): Promise<void> {
    if (this.options.report !== undefined && this.state.lastReport) await writeReport(this.state.root, this.options.report, this.state.lastReport)
  }
}
