/**
 * Part 5: the share of call sites decided at build time (`always` or `never`)
 * rather than checked at run time. The generated app's figure comes from the
 * plugin's own report of a real Vite build (app modules and dependencies apart);
 * the example app's from transforming each of its source files with its options.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildJob, runBuild } from './build/overhead.js'
import { REPO_ROOT, TMP_DIR } from './compiled.js'
import { loadCompiledTransform } from './transform-cost.js'

export interface Decisions {
  sites: number
  always: number
  never: number
  runtime: number
  /** (always + never) / sites. */
  decided: number
}

export interface Coverage {
  app: Decisions
  dependencies: Decisions
  /** Dependency files with call sites, relative to node_modules. */
  dependencyFiles: string[]
  /** Undefined while the example app (examples/app) is not there. */
  example?: Decisions & { files: number }
}

interface ReportedSite {
  file: string
  decision: 'always' | 'never' | 'runtime'
}

function count(sites: ReadonlyArray<{ decision: string }>): Decisions {
  const of = (decision: string) => sites.filter((site) => site.decision === decision).length
  const always = of('always')
  const never = of('never')
  return { sites: sites.length, always, never, runtime: of('runtime'), decided: sites.length ? (always + never) / sites.length : 0 }
}

const EXAMPLE_APP = join(REPO_ROOT, 'examples', 'app')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.[cm]?[jt]sx?$/.test(file) && !/(^|\/)(node_modules|dist)\//.test(file) && !file.endsWith('.d.ts'))
    .map((file) => join(dir, file))
}

async function exampleCoverage(): Promise<Coverage['example']> {
  const optionsFile = join(EXAMPLE_APP, 'trace-options.ts')
  if (!existsSync(join(EXAMPLE_APP, 'src')) || !existsSync(optionsFile)) return undefined
  const { traceOptions } = (await import(pathToFileURL(optionsFile).href)) as { traceOptions: object }
  const { transform } = await loadCompiledTransform()
  const files = sourceFiles(join(EXAMPLE_APP, 'src'))
  const sites = files.flatMap((file) => (transform(readFileSync(file, 'utf8'), file, traceOptions)?.sites ?? []) as Array<{ decision: string }>)
  return { ...count(sites), files: files.length }
}

export async function measureCoverage(appDir: string): Promise<Coverage> {
  const report = join(TMP_DIR, 'coverage-report.json')
  await runBuild(buildJob('vite', 'plugin', appDir, { report, outDir: join(TMP_DIR, 'out', 'vite-report') }))
  const { sites } = JSON.parse(readFileSync(report, 'utf8')) as { sites: ReportedSite[] }
  const isDependency = (site: ReportedSite) => site.file.includes('node_modules/')
  const dependencies = sites.filter(isDependency)
  return {
    app: count(sites.filter((site) => !isDependency(site))),
    dependencies: count(dependencies),
    dependencyFiles: [...new Set(dependencies.map((site) => site.file.replace(/^.*node_modules\//, '')))],
    example: await exampleCoverage(),
  }
}
