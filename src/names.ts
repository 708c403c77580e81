/**
 * The names this package writes into builds, logs and rewritten code, once.
 * (`runtime/` has no imports from here: it ships to browsers on its own.)
 */

export const PACKAGE_NAME = 'unplugin-sentry-trace'

/** What every log line and error message of the build side starts with. */
export const LOG_PREFIX = `[${PACKAGE_NAME}]`

/** Local names of the runtime's helpers in rewritten files start with this (see src/runtime-module.ts). */
export const HELPER_PREFIX = '__sentryTrace_'

/** The published runtime, imported by rewritten files when no configured module is given. */
export const PUBLISHED_RUNTIME = `${PACKAGE_NAME}/runtime`

/** Side-effect module that reads the meta tags; what entries import first without a configured module. */
export const PUBLISHED_META_PICKUP = `${PACKAGE_NAME}/runtime/meta`

/**
 * The first line of every runtime file (runtime/*.ts, and the JavaScript built from
 * them): a file that starts with it is never rewritten, wherever it is installed.
 */
export const RUNTIME_MARKER = `// ${PACKAGE_NAME} runtime: never rewritten`

/** Side-effect module a worker's entry imports first: the trace its page handed over (runtime/worker.ts). */
export const PUBLISHED_WORKER_PICKUP = `${PACKAGE_NAME}/runtime/worker`

/** The same file as the bundler plugins import it: resolved by the plugin to the runtime next to it (plugin/virtual.ts). */
export const RUNTIME_WORKER_PICKUP = `${PACKAGE_NAME}/runtime/worker.js`
