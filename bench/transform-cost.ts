/**
 * Part 2: `transform` against the parse floor, on the generated app's modules. The
 * floor is the package's own `parseModule` (the exact `@babel/parser` call and
 * options `transform` makes): everything above it is the analysis and rewriting
 * the plugin adds. Each side runs in a fresh process per round (bench/transform-child.ts),
 * warmed up before it is timed, so neither side's JIT feedback or garbage reaches
 * the other's timing; the ratio is the median of the per-round ratios.
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runChild, TRANSFORM_CHILD } from './child-process.js'
import { BENCH_TARGETS, compiled, COMPILED_DIR } from './compiled.js'
import { roundOrder, summarize, topSelfTime, type Summary } from './stats.js'
import type { TransformJob, TransformTimes } from './transform-child.js'

type TransformFn = (code: string, id: string, options: object) => { sites: unknown[] } | null
type ParseFn = (code: string, id: string) => unknown

export interface GroupCost {
  files: number
  bytes: number
  /** Median time of a warm pass over the group's files, one sample per process. */
  parse: Summary
  transform: Summary
  /** transform / parse, round by round: the median is the figure quoted. */
  ratios: Summary
  ratio: number
}

export interface TransformCost {
  withSites: GroupCost
  /** Files the text check rules out: transform never parses them. */
  noCandidate: GroupCost
  /** Files that mention a candidate name without having a call site (informative). */
  candidateNoSite: GroupCost
}

export async function loadCompiledTransform(): Promise<{ transform: TransformFn; parseModule: ParseFn }> {
  const { transform } = (await import(pathToFileURL(compiled('src/index.js')).href)) as { transform: TransformFn }
  const { parseModule } = (await import(pathToFileURL(compiled('src/parse.js')).href)) as { parseModule: ParseFn }
  return { transform, parseModule }
}

const CANDIDATE_TEXT = /\bfetch\b|\bXMLHttpRequest\b|axios/

async function measureGroup(files: string[], passes: number, rounds: number): Promise<GroupCost> {
  const samples = { parse: [] as number[], transform: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    for (const mode of roundOrder(['parse', 'transform'] as const, round)) {
      const job: TransformJob = { compiledDir: COMPILED_DIR, mode, files, passes }
      samples[mode].push((await runChild<TransformTimes>(TRANSFORM_CHILD, job, `${mode} pass`)).medianMs)
    }
  }
  const ratios = summarize(samples.transform.map((ms, index) => ms / samples.parse[index]!))
  return {
    files: files.length,
    bytes: files.reduce((sum, file) => sum + readFileSync(file, 'utf8').length, 0),
    parse: summarize(samples.parse),
    transform: summarize(samples.transform),
    ratios,
    ratio: ratios.median,
  }
}

export async function measureTransformCost(appRoot: string, modules: readonly string[], rounds: number): Promise<TransformCost> {
  const { transform } = await loadCompiledTransform()
  const options = { tracePropagationTargets: BENCH_TARGETS }
  const groups: Record<keyof TransformCost, string[]> = { withSites: [], noCandidate: [], candidateNoSite: [] }
  for (const path of modules) {
    const id = join(appRoot, path)
    const code = readFileSync(id, 'utf8')
    if (transform(code, id, options)?.sites.length) groups.withSites.push(id)
    else if (!CANDIDATE_TEXT.test(code)) groups.noCandidate.push(id)
    else groups.candidateNoSite.push(id)
  }
  // Passes per process: about a second of parsing each.
  return {
    withSites: await measureGroup(groups.withSites, 36, rounds),
    noCandidate: await measureGroup(groups.noCandidate, 9, rounds),
    candidateNoSite: await measureGroup(groups.candidateNoSite, 150, rounds),
  }
}

export interface ProfileEntry {
  name: string
  /** Share of the sampled time spent in this function itself (a dependency's functions are summed). */
  share: number
}

/** Where `transform` spends its time on the files with call sites, warm: a V8 CPU profile, self time. */
export async function profileTransform(appRoot: string, modules: readonly string[], passes = 30): Promise<ProfileEntry[]> {
  const { transform } = await loadCompiledTransform()
  const options = { tracePropagationTargets: BENCH_TARGETS }
  const files = modules
    .map((path) => ({ id: join(appRoot, path), code: readFileSync(join(appRoot, path), 'utf8') }))
    .filter((source) => transform(source.code, source.id, options)?.sites.length)
  const pass = () => {
    for (const source of files) transform(source.code, source.id, options)
  }
  for (let index = 0; index < 10; index++) pass()
  const { Session } = await import('node:inspector/promises')
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 100 })
    await session.post('Profiler.start')
    for (let index = 0; index < passes; index++) pass()
    const { profile } = await session.post('Profiler.stop')
    return topSelfTime(profile, ({ url, functionName }) => {
      if (functionName === '(idle)' || functionName === '(program)') return undefined
      const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]
      const ours = /bench\/\.tmp\/dist\/(.+)\.js$/.exec(url)?.[1]
      if (dependency) return dependency
      if (ours) return `${ours}.ts ${functionName || '(anonymous)'}`
      return url.startsWith('node:') ? `${url} ${functionName || '(anonymous)'}` : functionName || '(anonymous)'
    })
  } finally {
    session.disconnect()
  }
}
