import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The project a build belongs to: the nearest folder at or above the bundler's root
 * that holds a `package.json`; the bundler's root itself when none does. Frameworks
 * point the bundler at a source folder of the project (Nuxt: Vite's root is `app/`),
 * so the bundler's root alone does not say where the project is.
 */
export function projectRoot(bundlerRoot: string): string {
  return packageFolder(bundlerRoot) ?? bundlerRoot
}

/** The nearest folder at or above `dir` with a `package.json`; undefined when there is none. */
export function packageFolder(dir: string): string | undefined {
  for (let folder = dir; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder
    if (dirname(folder) === folder) return undefined
  }
}
