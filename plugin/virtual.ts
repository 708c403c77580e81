import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { serializeRuntimeConfig, type ResolvedOptions } from '../src/options.js'

/**
 * What rewritten files import their helpers from, and what entries import first.
 * No scheme colon (webpack rejects `virtual:` requests before any resolver runs),
 * and resolved by the plugin whoever imports it, so files in `node_modules` that
 * cannot resolve this package (pnpm's isolated layout) still reach the runtime.
 */
export const RUNTIME_MODULE = 'unplugin-sentry-trace/configured-runtime'

/** The import specifier, as a native hook filter. */
export const RUNTIME_MODULE_REQUEST = /^unplugin-sentry-trace\/configured-runtime$/

/** The resolved id in Rollup, Rolldown and Vite: `\0` keeps other plugins away from it. */
export const RUNTIME_MODULE_ROLLUP_ID = `\0${RUNTIME_MODULE}`

/**
 * The module however a bundler spells it: `\0`-prefixed (Rollup-likes), as a file in
 * webpack's `_virtual_` folder or Rspack's `.virtual` one, URI-encoded there.
 */
export const RUNTIME_MODULE_ID = /unplugin-sentry-trace(?:\/|%2F)configured-runtime$/i

/**
 * The published runtime, next to this file once built (`dist/plugin` -> `dist/runtime`);
 * the TypeScript sources when the plugin itself runs from source (this repository's tests).
 */
export const RUNTIME_ENTRY = findRuntimeEntry()

function findRuntimeEntry(): string {
  const candidates = ['index.js', 'index.ts'].map((name) => fileURLToPath(new URL(`../runtime/${name}`, import.meta.url)))
  const found = candidates.find((file) => existsSync(file))
  if (!found) throw new Error(`[unplugin-sentry-trace] runtime not found next to the plugin (looked for ${candidates.join(', ')})`)
  return found.replace(/\\/g, '/')
}

/**
 * The configured runtime: the options written once per build, the meta tags read as
 * soon as the first importer (the entry) runs, and the helpers passed through.
 * The runtime is imported by absolute path: the importer is virtual, and may be a
 * dependency that cannot resolve this package by name.
 */
export function runtimeModuleSource(options: ResolvedOptions): string {
  const runtime = JSON.stringify(RUNTIME_ENTRY)
  return [
    `import { configure, pickUpMetaTags } from ${runtime};`,
    `configure(${serializeRuntimeConfig(options)});`,
    'pickUpMetaTags();',
    `export { tracedFetch, alwaysTracedFetch, TracedXMLHttpRequest, traceAxios, configure } from ${runtime};`,
    '',
  ].join('\n')
}
