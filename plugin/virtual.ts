import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LOG_PREFIX, PACKAGE_NAME, RUNTIME_WORKER_PICKUP } from '../src/names.js'
import { escapeRegExp, serializeRuntimeConfig, type ResolvedOptions } from '../src/options.js'
import { RUNTIME_EXPORTS } from '../src/runtime-module.js'
import { packageFolder } from './project.js'

/**
 * What rewritten files import their helpers from, and what entries import first.
 * No scheme colon (webpack rejects `virtual:` requests before any resolver runs),
 * and resolved by the plugin whoever imports it, so files in `node_modules` that
 * cannot resolve this package (pnpm's isolated layout) still reach the runtime.
 */
export const RUNTIME_MODULE = `${PACKAGE_NAME}/configured-runtime`

/** The import specifier, as a native hook filter. */
export const RUNTIME_MODULE_REQUEST = new RegExp(`^${escapeRegExp(RUNTIME_MODULE)}$`)

/** The resolved id in Rollup, Rolldown and Vite: `\0` keeps other plugins away from it. */
export const RUNTIME_MODULE_ROLLUP_ID = `\0${RUNTIME_MODULE}`

/**
 * The module however a bundler spells it: `\0`-prefixed (Rollup-likes), as a file in
 * webpack's `_virtual_` folder or Rspack's `.virtual` one, URI-encoded there; or the
 * file the package exports under that name (runtime/configured-runtime.ts), where
 * a resolver other than ours answered first.
 */
export const RUNTIME_MODULE_ID = new RegExp(`${escapeRegExp(PACKAGE_NAME)}(?:\\/|%2F)(?:dist\\/runtime\\/)?configured-runtime(?:\\.js)?$`, 'i')

/**
 * The published runtime's index, next to this file once built (`dist/plugin` -> `dist/runtime`);
 * the TypeScript sources when the plugin itself runs from source (this repository's tests).
 */
export const RUNTIME_INDEX = findRuntimeFile('index')

export function findRuntimeFile(name: string): string {
  const candidates = ['js', 'ts'].map((extension) => fileURLToPath(new URL(`../runtime/${name}.${extension}`, import.meta.url)))
  const found = candidates.find((file) => existsSync(file))
  if (!found) throw new Error(`${LOG_PREFIX} runtime not found next to the plugin (looked for ${candidates.join(', ')})`)
  return found.replace(/\\/g, '/')
}

/** The interop source, from the same folder as the runtime's index: one copy of the runtime's state. */
const SENTRY_CONNECTOR = findRuntimeFile('sentry')

/**
 * How the configured runtime imports the published one: by requests named after its
 * files under this package's name (not the public `exports`, so the app's own imports
 * of `unplugin-sentry-trace/runtime` are left to the bundler), which the plugin
 * resolves to the files next to it. Whoever the
 * importer is (a virtual module, a dependency that cannot resolve this package by
 * name), it reaches this copy; and no machine path is written into the build
 * (webpack shows requests in development output, esbuild keeps this module's text
 * in its source map): the same project builds the same in any folder.
 */
const RUNTIME_INDEX_REQUEST = `${PACKAGE_NAME}/runtime/index.js`
const SENTRY_CONNECTOR_REQUEST = `${PACKAGE_NAME}/runtime/sentry.js`

export const RUNTIME_FILES: ReadonlyMap<string, string> = new Map([
  [RUNTIME_INDEX_REQUEST, RUNTIME_INDEX],
  [SENTRY_CONNECTOR_REQUEST, SENTRY_CONNECTOR],
  // What a worker's entry imports first (src/inject.ts).
  [RUNTIME_WORKER_PICKUP, findRuntimeFile('worker')],
])

/** The configured runtime's request and the runtime files', as a native hook filter. */
export const RUNTIME_REQUESTS = new RegExp(`^${escapeRegExp(PACKAGE_NAME)}/(?:configured-runtime|runtime/index\\.js|runtime/sentry\\.js|runtime/worker\\.js)$`)

/** The functions of the SDK the interop uses (runtime/sentry.ts `SENTRY_API`). */
const SENTRY_FUNCTIONS = ['getClient', 'getActiveSpan', 'startInactiveSpan', 'getTraceData', 'setHttpStatus']

/**
 * Sentry browser SDKs, most specific last in priority: a framework SDK re-exports
 * `@sentry/browser` and is what the app initialises, so it wins when both are listed.
 */
const SENTRY_BROWSER_SDKS = [
  '@sentry/react',
  '@sentry/vue',
  '@sentry/angular',
  '@sentry/svelte',
  '@sentry/solid',
  '@sentry/ember',
  '@sentry/gatsby',
  '@sentry/nextjs',
  '@sentry/nuxt',
  '@sentry/sveltekit',
  '@sentry/remix',
  '@sentry/astro',
  '@sentry/react-router',
  '@sentry/solidstart',
  '@sentry/tanstackstart-react',
  '@sentry/browser',
]

/**
 * The Sentry browser SDK the app depends on, read from the nearest package.json at
 * or above `root`; undefined when there is none.
 */
export function detectSentrySdk(root: string): string | undefined {
  const folder = packageFolder(root)
  if (folder === undefined) return undefined
  try {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>
    const declared = new Set(['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {})))
    return SENTRY_BROWSER_SDKS.find((name) => declared.has(name))
  } catch {
    return undefined
  }
}

/**
 * The configured runtime: the options written once per build, the meta tags read as
 * soon as the first importer (the entry) runs, and the helpers passed through
 * (from the files of `RUNTIME_FILES`, or by the given `requests` where the host
 * resolves no virtual module: Next.js under Turbopack).
 */
export function runtimeModuleSource(
  options: ResolvedOptions,
  sentrySdk: string | undefined,
  requests: { index: string; sentry: string } = { index: RUNTIME_INDEX_REQUEST, sentry: SENTRY_CONNECTOR_REQUEST },
): string {
  const runtime = JSON.stringify(requests.index)
  const lines = [
    `import { configure, pickUpMetaTags } from ${runtime};`,
    `configure(${serializeRuntimeConfig(options)});`,
    'pickUpMetaTags();',
  ]
  if (sentrySdk) {
    // Named imports keep the SDK tree-shakeable; the bare specifier is resolved by the
    // bundler like the app's own import of it, so both share one copy of the SDK.
    lines.push(
      `import { connectSentry } from ${JSON.stringify(requests.sentry)};`,
      `import { ${SENTRY_FUNCTIONS.join(', ')} } from ${JSON.stringify(sentrySdk)};`,
      `connectSentry({ ${SENTRY_FUNCTIONS.join(', ')} });`,
    )
  }
  lines.push(`export { ${RUNTIME_EXPORTS.join(', ')} } from ${runtime};`, '')
  return lines.join('\n')
}
