/**
 * `parse` or `transform` over a set of files, in a fresh process: the JIT and the
 * heap start from nothing, and one side's garbage and feedback never reach the
 * other's timing. Prints, as JSON on its last line: `importMs` (loading the plugin
 * and through it the parser and the transform), `coldMs` (the first pass),
 * `warmMs` (the best later pass) and `medianMs` (the median of the passes after
 * the first third, which are left to warm up).
 */

import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { BENCH_TARGETS } from './targets.js'

export interface TransformJob {
  compiledDir: string
  mode: 'parse' | 'transform'
  files: string[]
  passes: number
}

export interface TransformTimes {
  importMs: number
  coldMs: number
  warmMs: number
  medianMs: number
}

const job = JSON.parse(process.argv[2]!) as TransformJob
const sources = job.files.map((file) => ({ id: file, code: readFileSync(file, 'utf8') }))
const options = { tracePropagationTargets: BENCH_TARGETS }

const importStart = performance.now()
await import(pathToFileURL(`${job.compiledDir}/plugin/vite.js`).href)
const { transform } = (await import(pathToFileURL(`${job.compiledDir}/src/index.js`).href)) as {
  transform: (code: string, id: string, options: object) => unknown
}
const { parseModule } = (await import(pathToFileURL(`${job.compiledDir}/src/parse.js`).href)) as {
  parseModule: (code: string, id: string) => unknown
}
const importMs = performance.now() - importStart

const pass = () => {
  const start = performance.now()
  for (const { id, code } of sources) {
    if (job.mode === 'parse') parseModule(code, id)
    else transform(code, id, options)
  }
  return performance.now() - start
}
const coldMs = pass()
const later: number[] = []
for (let index = 0; index < job.passes; index++) later.push(pass())
const warm = later.slice(Math.floor(job.passes / 3)).sort((a, b) => a - b)
const times: TransformTimes = { importMs, coldMs, warmMs: warm[0]!, medianMs: warm[Math.floor(warm.length / 2)]! }
process.stdout.write(JSON.stringify(times) + '\n', () => process.exit(0))
