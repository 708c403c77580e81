// unplugin-sentry-trace runtime: never rewritten
/**
 * Adding trace headers to what the caller already set, whatever shape that is,
 * without overwriting or duplicating anything.
 */

export interface TraceHeaders {
  'sentry-trace': string
  baggage?: string
  traceparent?: string
}

/**
 * One request's headers. Names passed in are lowercase. fetch's `Headers` is one
 * as it is; `headerBag` makes one of anything else a request takes.
 */
export interface HeaderBag {
  /** Every value of `name` as the request will combine them (`a, b`); null or undefined when absent. */
  get(name: string): string | null | undefined
  /**
   * Add a value, called right after `get(name)`: where that found one, the request
   * then carries `previous, value`.
   */
  append(name: string, value: string): void
}

/** Whole `baggage` header, the caller's entries and ours together (W3C baggage limit). */
export const MAX_BAGGAGE_LENGTH = 8192

/** `entries` joined by `,`, leaving out each entry that would take the result past `room` characters. */
export function joinWithin(entries: readonly string[], room: number): string {
  let joined = ''
  for (const entry of entries) {
    const next = joined ? joined + ',' + entry : entry
    if (entry && next.length <= room) joined = next
  }
  return joined
}

/**
 * Only called once the caller's `sentry-trace` is known to be absent. `traceparent`
 * goes out only when opted in, whatever the trace source returned: it widens CORS.
 * Our baggage is appended only when the caller's has no `sentry-` entry (one DSC
 * per request; an entry counts after any whitespace `trim()` strips, as the SDK
 * counts it: JavaScript's `\s`), and only our entries that fit within the limit
 * after the caller's `existing, ` if there is one.
 */
export function applyTraceHeaders(bag: HeaderBag, headers: TraceHeaders, traceparent?: boolean): void {
  bag.append('sentry-trace', headers['sentry-trace'])
  if (traceparent && headers.traceparent && bag.get('traceparent') == null) bag.append('traceparent', headers.traceparent)
  const ours = headers.baggage
  const existing = bag.get('baggage')
  const room = MAX_BAGGAGE_LENGTH - (existing == null ? 0 : existing.length + 2)
  // No caller baggage tests as 'null' or 'undefined': no sentry- entry either.
  const baggage = ours && !/(^|,)\s*sentry-/.test(existing as string) && (ours.length > room ? joinWithin(ours.split(','), room) : ours)
  if (baggage) bag.append('baggage', baggage)
}

/**
 * A bag over headers held as an array of `[name, value]` pairs (fetch combines
 * repeated names), or as a plain object whose keys may differ from ours in letter
 * case: a fetch `init.headers` record, or axios's `AxiosHeaders`, which keeps each
 * header as an own property under the name it was set with. Nullish values count
 * as unset (axios skips them). Appending changes `headers`. A request asks its bag
 * about twice: each is one loop over the pairs or the object's keys (not
 * `Object.entries`, which made an array per key on every request).
 */
export function headerBag(h: object): HeaderBag {
  // The key of the last entry of the name `get` last looked for (never '': no name is).
  let last: string | undefined
  return {
    get(name) {
      let found: string | undefined
      const pairs = Array.isArray(h)
      last = undefined
      for (const entry of pairs ? h : Object.keys(h)) {
        const [key, value] = pairs ? (entry as [unknown, unknown]) : [entry, (h as Record<string, unknown>)[entry]]
        if (value != null && String(key).toLowerCase() === name) {
          found = found == null ? `${value}` : `${found}, ${value}`
          last = key as string
        }
      }
      return found
    },
    append(name, value) {
      if (Array.isArray(h)) h.push([name, value])
      else (h as Record<string, unknown>)[last || name] = last ? (h as Record<string, unknown>)[last] + ', ' + value : value
    },
  }
}
