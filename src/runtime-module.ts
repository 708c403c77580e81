import { HELPER_PREFIX } from './names.js'

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
  'TracedWorker',
  'TracedSharedWorker',
  'configure',
] as const

export type RuntimeExport = (typeof RUNTIME_EXPORTS)[number]

/** Local name of a helper in rewritten files; unlikely to clash, and recognisable in output. */
export function helperLocalName(name: RuntimeExport, taken: (name: string) => boolean): string {
  const base = `${HELPER_PREFIX}${name}`
  let candidate = base
  for (let index = 2; taken(candidate); index++) candidate = `${base}${index}`
  return candidate
}
