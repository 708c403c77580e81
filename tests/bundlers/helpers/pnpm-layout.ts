import { existsSync, readFileSync, readlinkSync } from 'node:fs'
import { cp, mkdir, rename, rm, symlink } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { FIXTURE_APP, FIXTURE_DEPENDENCY } from './paths.js'

const STORE_PATH = 'node_modules/.pnpm/fixture-dep@1.0.0/node_modules/fixture-dep'

/**
 * Lay out `fixture-dep` the way pnpm does: its files in `node_modules/.pnpm/<name>@<version>/node_modules/<name>`,
 * reached through a symlink, so from its real path `unplugin-sentry-trace` cannot be resolved.
 * (Created at test time: `node_modules` is gitignored.) Idempotent, and safe when several
 * test files call it at once: everything is built aside, then renamed into place.
 */
export async function ensurePnpmStyleDependency(): Promise<void> {
  const store = join(FIXTURE_APP, STORE_PATH)
  const link = join(FIXTURE_APP, 'node_modules/fixture-dep')
  const target = relative(dirname(link), store)
  if (!isCurrent(store)) {
    const staging = `${store}.${process.pid}`
    await mkdir(dirname(store), { recursive: true })
    await rm(staging, { recursive: true, force: true })
    await cp(FIXTURE_DEPENDENCY, staging, { recursive: true })
    if (existsSync(store) && !isCurrent(store)) await rm(store, { recursive: true, force: true })
    // Another worker may have won the race with the same files: keep theirs.
    await rename(staging, store).catch(() => rm(staging, { recursive: true, force: true }))
  }
  if (readLink(link) !== target) {
    const staged = `${link}.${process.pid}`
    await rm(staged, { force: true })
    await symlink(target, staged, 'dir')
    await rename(staged, link)
  }
}

function isCurrent(store: string): boolean {
  const file = join(store, 'index.js')
  return existsSync(file) && readFileSync(file, 'utf8') === readFileSync(join(FIXTURE_DEPENDENCY, 'index.js'), 'utf8')
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path)
  } catch {
    return undefined
  }
}
