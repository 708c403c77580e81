/**
 * The same suite for every bundler: build the fixture app for real, run it in a
 * page, and check what went over the wire, the bundle's text and map, and the report.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRecordServer, type RecordServer } from '../../helpers/record-server.js'
import type { Report } from '../../../plugin/report.js'
import { buildFixture, type Bundler, type BuildResult } from './builds.js'
import { expectCallMapsBack, expectNoGlobalWrites, expectRuntimeFirst, expectTracedRequests, MAPPED_CALLS } from './expectations.js'
import { runPage, type PageRun } from './page.js'
import { outputDir } from './paths.js'
import { ensurePnpmStyleDependency } from './pnpm-layout.js'

/** The fixture app's report, the same from every bundler (relative to the test files in tests/bundlers). */
export const REPORT_SNAPSHOT = './__snapshots__/fixture-app.report.json'

export const SUMMARY = '15 call sites: 3 always, 11 runtime, 1 never; 10 files'

/** Bundles whose module order in the text is their execution order (webpack and Rspack keep a module table). */
const TEXT_ORDER_IS_RUN_ORDER: ReadonlySet<Bundler> = new Set(['vite', 'rollup', 'rolldown', 'esbuild'])

export function describeBuild(bundler: Bundler): void {
  describe(`${bundler} build of the fixture app`, () => {
    let server: RecordServer
    let dispose: (() => Promise<void>) | undefined
    let build: BuildResult
    let run: PageRun

    beforeAll(async () => {
      await ensurePnpmStyleDependency()
      server = await startRecordServer()
      const out = await outputDir(bundler)
      dispose = out.dispose
      build = await buildFixture(bundler, out.dir)
      run = await runPage(server, [build.main.code])
    })

    afterAll(async () => {
      await server?.close()
      await dispose?.()
    })

    it('sends trace headers, continuing the page trace, on matching requests only', () => {
      expectTracedRequests(run, server.origin)
    })

    it('imports the configured runtime once, ahead of the app', () => {
      expectRuntimeFirst(build.main.code, { ordered: TEXT_ORDER_IS_RUN_ORDER.has(bundler) })
      if (build.second) expectRuntimeFirst(build.second.code, { ordered: true })
    })

    it('writes to no fetch or XMLHttpRequest global or prototype', () => {
      expectNoGlobalWrites(run, build.main.code)
    })

    it.each(MAPPED_CALLS)('maps a rewritten call back to its original line and column in $name', (call) => {
      expectCallMapsBack(build.main, call)
    })

    it('prints one summary line, warns about the cross-origin target, and reports every site', async () => {
      const summaries = build.info.filter((line) => line.includes('call site'))
      expect(summaries).toHaveLength(1)
      expect(summaries[0]).toContain(SUMMARY)
      const cors = build.warnings.filter((line) => line.includes('Access-Control-Allow-Headers'))
      expect(cors).toHaveLength(1)
      expect(cors[0]).toMatch(/1 call site always sends trace headers to http:\/\/api\.example\.test \((?:[\w/]+\/)?src\/third-party\.ts:2:58\)/)
      expect(cors[0]).toContain('"Access-Control-Allow-Headers: sentry-trace, baggage"')
      await expect(reportSnapshot(build.report)).toMatchFileSnapshot(REPORT_SNAPSHOT)
    })
  })
}

/**
 * The report, as a reviewable snapshot: the app's sites in full; a dependency's
 * without line and column, which move with every release of it.
 */
export function reportSnapshot(report: Report): string {
  const sites = report.sites.map((site) => {
    if (!site.file.startsWith('node_modules/')) return site
    const { line: _line, column: _column, ...rest } = site
    return rest
  })
  return `${JSON.stringify({ summary: report.summary, sites }, null, 2)}\n`
}
