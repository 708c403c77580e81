/**
 * Adding trace headers to what the caller already set, whatever shape that is,
 * without overwriting or duplicating anything (shared SPEC §1).
 */

export interface TraceHeaders {
  'sentry-trace': string
  baggage?: string
  traceparent?: string
}

/** One request's headers. Names passed in are lowercase. */
export interface HeaderBag {
  /** Every value of `name` as the request will combine them (`a, b`), or undefined when absent. */
  get(name: string): string | undefined
  /** Add a value; where one is already present the request then carries `previous, value`. */
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
 * What to append so the request carries our baggage: all of it (capped) when the
 * caller sent none; nothing when the caller's already has a `sentry-` entry (one
 * DSC per request); else the entries that still fit after the caller's `existing, `.
 */
export function baggageToAppend(existing: string | undefined, ours: string): string | undefined {
  if (existing !== undefined && /(^|,)[ \t]*sentry-/.test(existing)) return
  return joinWithin(ours.split(','), MAX_BAGGAGE_LENGTH - (existing === undefined ? 0 : existing.length + 2)) || undefined
}

/**
 * Only called once the caller's `sentry-trace` is known to be absent. `traceparent`
 * goes out only when opted in, whatever the trace source returned: it widens CORS.
 */
export function applyTraceHeaders(bag: HeaderBag, headers: TraceHeaders, traceparent: boolean): void {
  bag.append('sentry-trace', headers['sentry-trace'])
  if (traceparent && headers.traceparent && bag.get('traceparent') === undefined) bag.append('traceparent', headers.traceparent)
  const baggage = headers.baggage && baggageToAppend(bag.get('baggage'), headers.baggage)
  if (baggage) bag.append('baggage', baggage)
}

/**
 * A view of headers held as fetch's `Headers` or axios's `AxiosHeaders` (both look
 * names up case-insensitively), an array of `[name, value]` pairs (fetch combines
 * repeated names), or a plain object whose keys may differ from ours in letter case
 * (nullish values count as unset: axios skips them). Appending changes `headers`.
 */
export function headerBag(headers: object): HeaderBag {
  const map = headers as Headers
  if (typeof map.set === 'function') {
    return {
      get: (name) => map.get(name) ?? undefined,
      append(name, value) {
        const previous = map.get(name)
        map.set(name, previous == null ? value : previous + ', ' + value)
      },
    }
  }
  const h = headers as Record<string, unknown>
  const isList = Array.isArray(h)
  const matching = (name: string) =>
    (isList ? (h as unknown as Array<[string, unknown]>) : Object.entries(h)).filter(
      (entry) => entry[0].toLowerCase() === name && entry[1] != null,
    )
  return {
    get(name) {
      const found = matching(name)
      return found.length ? found.map((entry) => entry[1]).join(', ') : undefined
    },
    append(name, value) {
      const key = matching(name).pop()?.[0]
      if (isList) (h as unknown as unknown[]).push([name, value])
      else h[key ?? name] = key ? h[key] + ', ' + value : value
    },
  }
}
