/**
 * Part 1: production builds of the generated app with and without the plugin, for
 * Vite, webpack and esbuild, plus the least any JS plugin costs Vite and esbuild
 * (the `floor` variant). Each build runs in a fresh process (bench/build/child.ts);
 * per round, each bundler builds its variants back to back in rotating order.
 * The cold-start breakdown re-runs what the plugin does in a build, alone.
 */

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUILD_CHILD, runChild, TRANSFORM_CHILD, TS_LOADER } from '../child-process.js'
import { COMPILED_DIR, TMP_DIR } from '../compiled.js'
import { roundOrder, summarize, type Summary } from '../stats.js'
import type { BuildJob, Bundler, Variant } from './child.js'
import type { TransformJob, TransformTimes } from '../transform-child.js'

export const BUNDLERS: Bundler[] = ['vite', 'webpack', 'esbuild']

const VARIANTS: Record<Bundler, Variant[]> = { vite: ['bare', 'plugin', 'floor'], webpack: ['bare', 'plugin'], esbuild: ['bare', 'plugin', 'floor'] }

export interface VariantTimes {
  times: Summary
  /** median(variant) / median(bare). */
  ratio: number
  /** variant / bare round by round (each round's builds ran back to back): steadier under a drifting load. */
  pairRatios: Summary
}

export interface BuildOverhead {
  bundler: Bundler
  bare: Summary
  plugin: VariantTimes
  floor?: VariantTimes
}

export function buildJob(bundler: Bundler, variant: Variant, appDir: string, extra: Partial<BuildJob> = {}): BuildJob {
  return {
    bundler,
    variant,
    appDir,
    outDir: join(TMP_DIR, 'out', `${bundler}-${variant}`),
    compiledDir: COMPILED_DIR,
    loader: TS_LOADER,
    ...extra,
  }
}

export function runBuild(job: BuildJob): Promise<number> {
  return runChild<{ ms: number }>(BUILD_CHILD, job, `${job.bundler} build (${job.variant})`).then((result) => result.ms)
}

function outputCode(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n')
}

/** A build that did not run the plugin (or ran it in the bare variant) would make every figure meaningless. */
function assertRewritten(job: BuildJob): void {
  const traced = outputCode(job.outDir).includes('sentry-trace')
  if (traced !== (job.variant === 'plugin')) {
    throw new Error(`${job.bundler} build (${job.variant}) ${traced ? 'contains' : 'lacks'} the runtime: the build setup is wrong`)
  }
}

export async function measureBuildOverhead(appDir: string, rounds: number, log: (line: string) => void): Promise<BuildOverhead[]> {
  const samples = new Map<string, number[]>()
  const key = (bundler: Bundler, variant: Variant) => `${bundler}:${variant}`
  // Round 0 warms the file cache and checks each setup; it is not counted.
  for (let round = 0; round <= rounds; round++) {
    for (const bundler of BUNDLERS) {
      for (const variant of roundOrder(VARIANTS[bundler], round)) {
        const job = buildJob(bundler, variant, appDir)
        const ms = await runBuild(job)
        if (round === 0) {
          assertRewritten(job)
          continue
        }
        const list = samples.get(key(bundler, variant)) ?? []
        list.push(ms)
        samples.set(key(bundler, variant), list)
      }
    }
    log(`  build round ${round}/${rounds}${round === 0 ? ' (warm-up)' : ''} done`)
  }
  return BUNDLERS.map((bundler) => {
    const bareSamples = samples.get(key(bundler, 'bare'))!
    const bare = summarize(bareSamples)
    const against = (variant: Variant): VariantTimes => {
      const variantSamples = samples.get(key(bundler, variant))!
      const times = summarize(variantSamples)
      return {
        times,
        ratio: times.median / bare.median,
        pairRatios: summarize(variantSamples.map((ms, index) => ms / bareSamples[index]!)),
      }
    }
    return { bundler, bare, plugin: against('plugin'), ...(VARIANTS[bundler].includes('floor') ? { floor: against('floor') } : {}) }
  })
}

export interface ColdStart {
  files: number
  bytes: number
  /** Importing the plugin (and through it the parser and the transform) in a fresh process. */
  importMs: Summary
  coldParse: Summary
  coldTransform: Summary
  warmParse: Summary
  warmTransform: Summary
}

/** Fresh processes, parse-only and transform in alternation, over the files a build transforms. */
export async function measureColdStart(files: string[], rounds: number): Promise<ColdStart> {
  const samples = { importMs: [] as number[], coldParse: [] as number[], coldTransform: [] as number[], warmParse: [] as number[], warmTransform: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    for (const mode of roundOrder(['parse', 'transform'] as const, round)) {
      const job: TransformJob = { compiledDir: COMPILED_DIR, mode, files, passes: 30 }
      const result = await runChild<TransformTimes>(TRANSFORM_CHILD, job, `cold start (${mode})`)
      samples.importMs.push(result.importMs)
      samples[mode === 'parse' ? 'coldParse' : 'coldTransform'].push(result.coldMs)
      samples[mode === 'parse' ? 'warmParse' : 'warmTransform'].push(result.warmMs)
    }
  }
  return {
    files: files.length,
    bytes: files.reduce((sum, file) => sum + readFileSync(file, 'utf8').length, 0),
    importMs: summarize(samples.importMs),
    coldParse: summarize(samples.coldParse),
    coldTransform: summarize(samples.coldTransform),
    warmParse: summarize(samples.warmParse),
    warmTransform: summarize(samples.warmTransform),
  }
}
