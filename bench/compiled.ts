/**
 * The bench measures the package as it ships: `src/`, `plugin/` and `runtime/`
 * compiled by the project's own build config. It compiles its private copy into
 * bench/.tmp/dist rather than using dist/, which `npm run build` deletes and
 * rewrites while other work on the machine may be using it.
 */

import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
export const TMP_DIR = join(REPO_ROOT, 'bench', '.tmp')
export const COMPILED_DIR = join(TMP_DIR, 'dist')

export function compilePackage(): void {
  // Nothing left over from sources that no longer exist.
  rmSync(COMPILED_DIR, { recursive: true, force: true })
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')
  execFileSync(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', COMPILED_DIR], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  })
}

/** A compiled module of the package, e.g. `src/index.js`, `plugin/vite.js`, `runtime/index.js`. */
export function compiled(path: string): string {
  return join(COMPILED_DIR, path)
}

export { BENCH_TARGETS } from './targets.js'
