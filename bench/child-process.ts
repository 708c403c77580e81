/** The bench's own scripts, compiled to plain Node and run in fresh processes. */

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import * as esbuild from 'esbuild'
import { REPO_ROOT, TMP_DIR } from './compiled.js'

export const BUILD_CHILD = join(TMP_DIR, 'build-child.mjs')
export const TS_LOADER = join(TMP_DIR, 'ts-loader.cjs')
export const TRANSFORM_CHILD = join(TMP_DIR, 'transform-child.mjs')

/** No TypeScript hook in a timed process: the children are compiled once, to plain ESM (the loader to CJS). */
export async function prepareChildren(): Promise<void> {
  const common = { bundle: true, packages: 'external', platform: 'node', target: 'node20', logLevel: 'warning' } as const
  await esbuild.build({ ...common, entryPoints: [join(REPO_ROOT, 'bench/build/child.ts')], outfile: BUILD_CHILD, format: 'esm' })
  await esbuild.build({ ...common, entryPoints: [join(REPO_ROOT, 'bench/build/ts-loader.ts')], outfile: TS_LOADER, format: 'cjs' })
  await esbuild.build({ ...common, entryPoints: [join(REPO_ROOT, 'bench/transform-child.ts')], outfile: TRANSFORM_CHILD, format: 'esm' })
}

/** Runs a compiled bench script in a fresh Node process; its last stdout line is its JSON result. */
export function runChild<T>(script: string, job: object, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(job)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? ''
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${what} failed with exit code ${code}:\n${stderr || stdout}`))
        return
      }
      resolve(JSON.parse(last) as T)
    })
  })
}
