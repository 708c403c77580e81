/**
 * Do no harm: every scenario (real HTTP libraries from npm, and the ways apps save,
 * wrap, detect, alias and call fetch and XMLHttpRequest) is built by Vite, webpack
 * and esbuild without the plugin and with it, and run in Chromium against a loopback
 * server. The rewritten build must behave exactly as the original (what the app
 * observed, its console, its uncaught errors, its requests but for the trace
 * headers), and carry trace headers on the requests to targets only.
 */

import { mkdir, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLERS, buildScenarios, listScenarios, type Bundler } from './harness/builds.js'
import { baselineProblem, behaviourDifference, traceHeaderDifference } from './harness/compare.js'
import { startSite, type PageRun, type Site } from './harness/pages.js'

const OUT = fileURLToPath(new URL('../.tmp/transparency', import.meta.url))
/** Pages run at once (one per lane); builds and Chromium share two cores. */
const LANES = 2

const scenarios = await listScenarios()
let site: Site | undefined

beforeAll(async () => {
  await rm(OUT, { recursive: true, force: true })
  await mkdir(OUT, { recursive: true })
  site = await startSite(LANES)
})

afterAll(async () => {
  await site?.close()
  await rm(OUT, { recursive: true, force: true })
})

interface Pair {
  original: PageRun
  rewritten: PageRun
}

/** Each scenario's original and rewritten pages, one after the other on the same lane (same origin). */
async function runPairs(bundler: Bundler): Promise<Map<string, Pair>> {
  const [original, rewritten] = [await buildScenarios(bundler, 'original', scenarios, OUT), await buildScenarios(bundler, 'rewritten', scenarios, OUT)]
  const pairs = new Map<string, Pair>()
  const queue = [...scenarios]
  await Promise.all(
    Array.from({ length: site!.lanes }, async (_, lane) => {
      for (let scenario = queue.shift(); scenario; scenario = queue.shift()) {
        const before = await site!.run(lane, original.get(scenario)!)
        const after = await site!.run(lane, rewritten.get(scenario)!)
        pairs.set(scenario, { original: before, rewritten: after })
      }
    }),
  )
  return pairs
}

describe.each(BUNDLERS)('%s', (bundler) => {
  let pairs: Map<string, Pair>

  beforeAll(async () => {
    pairs = await runPairs(bundler)
  }, 150_000)

  it('has a scenario for every library and pattern', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(20)
    expect([...pairs.keys()].sort()).toEqual(scenarios)
  })

  it.each(scenarios)('%s: the rewritten build behaves as the original, with trace headers on targets only', (scenario) => {
    const { original, rewritten } = pairs.get(scenario)!
    expect(baselineProblem(original), `${scenario} (${bundler}) without the plugin`).toBeUndefined()
    const difference = behaviourDifference(original, rewritten, scenario) ?? traceHeaderDifference(original, rewritten)
    // The whole first difference in the message: the reporter would cut it short.
    if (difference !== undefined) expect.fail(`${scenario} (${bundler}): ${difference}`)
  })
})
