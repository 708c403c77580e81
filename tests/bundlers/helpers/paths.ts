import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '')
export const FIXTURE_APP = join(REPO_ROOT, 'tests/bundlers/fixtures/app')
export const FIXTURE_DEPENDENCY = join(REPO_ROOT, 'tests/bundlers/fixtures/fixture-dep')

/**
 * A fresh output folder under the gitignored `tests/.tmp`, removed by `dispose`
 * (retried: a closed dev server's optimizer may still be finishing a write in it).
 */
export async function outputDir(name: string): Promise<{ dir: string; dispose(): Promise<void> }> {
  const base = join(REPO_ROOT, 'tests/.tmp/bundlers')
  await mkdir(base, { recursive: true })
  const dir = await mkdtemp(join(base, `${name}-`))
  return { dir, dispose: () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }) }
}
