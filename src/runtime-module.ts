import { HELPER_PREFIX } from './global-object.js'

/** Names the rewritten code imports from the runtime (runtime/index.ts exports them). */
export const RUNTIME_EXPORTS = [
  'tracedFetch',
  'alwaysTracedFetch',
  'traceFetchFunction',
  'untraceFetchFunction',
  'traceFetchIfGlobal',
  'traceFetchOn',
  'traceFetchIn',
  'TracedXMLHttpRequest',
  'traceXhrIfGlobal',
  'traceAxios',
  'configure',
] as const

export type RuntimeExport = (typeof RUNTIME_EXPORTS)[number]

/** The published runtime, imported by rewritten files when no configured module is given. */
export const PUBLISHED_RUNTIME = 'unplugin-sentry-trace/runtime'

/** Side-effect module that reads the meta tags; imported first by entry points. */
export const PUBLISHED_META_PICKUP = 'unplugin-sentry-trace/runtime/meta'

/** Local name of a helper in rewritten files; unlikely to clash, and recognisable in output. */
export function helperLocalName(name: RuntimeExport, taken: (name: string) => boolean): string {
  const base = `${HELPER_PREFIX}${name}`
  let candidate = base
  for (let index = 2; taken(candidate); index++) candidate = `${base}${index}`
  return candidate
}
