// unplugin-sentry-trace runtime: never rewritten
/**
 * The one place where "does this request get trace headers?" is decided.
 *
 * Same semantics as the Sentry browser SDK's `shouldAttachHeaders`
 * (https://github.com/getsentry/sentry-javascript/blob/develop/packages/browser/src/tracing/request.ts).
 * The build-time evaluator in `src/decide.ts` reasons about this exact function
 * and calls it for the concrete cases it can settle.
 */

export type TracePropagationTarget = string | RegExp

/**
 * Whether `value` matches a target, case-insensitively as the SDK has done since v11
 * (https://github.com/getsentry/sentry-javascript/blob/develop/packages/core/src/utils/tracePropagationTargets.ts):
 * a string target occurs in `value`, both lower-cased; a RegExp target is tested
 * through its {@link caseInsensitive} copy.
 */
export function matchesSomeTarget(value: string, targets: readonly TracePropagationTarget[]): boolean {
  const lower = value.toLowerCase()
  for (const target of targets) {
    if (typeof target === 'string' ? lower.includes(target.toLowerCase()) : target instanceof RegExp && caseInsensitive(target).test(value)) return true
  }
  return false
}

const copies = new WeakMap<RegExp, RegExp>()

/**
 * `pattern` with the `i` flag and without `g` / `y`, made once per pattern. Without
 * those two flags `test` neither reads nor writes `lastIndex`, so no state carries
 * from one request to the next, and the caller's own pattern is never touched.
 */
export function caseInsensitive(pattern: RegExp): RegExp {
  let copy = copies.get(pattern)
  if (!copy) copies.set(pattern, (copy = new RegExp(pattern, pattern.flags.replace(/[giy]/g, '') + 'i')))
  return copy
}

/**
 * Decide whether a request to `url` gets `sentry-trace` / `baggage`.
 *
 * @param url the URL as the caller passed it (relative or absolute)
 * @param targets `tracePropagationTargets`; `undefined` means "same origin only"
 * @param href the page URL (`document.location.href`); empty or absent outside a
 *   document (workers, odd hosts), where only the raw URL string is looked at
 */
export function shouldAttachHeaders(url: string, targets: readonly TracePropagationTarget[] | undefined, href?: string): boolean {
  if (!href) {
    // No page to resolve against: only path-absolute URLs are known to be
    // same-origin ("//host" is protocol-relative, so it is excluded).
    return targets ? matchesSomeTarget(url, targets) : /^\/(?!\/)/.test(url)
  }
  let page: Page
  let resolved: URL
  try {
    page = pageOf(href)
    const path = page[1] && plainPath(url)
    if (path) return plainPathMatches(url, path, targets, page[1])
    resolved = new URL(url, href)
  } catch {
    return false
  }
  const sameOrigin = resolved.origin === page[0]
  return targets ? matchesSomeTarget(resolved.href, targets) || (sameOrigin && matchesSomeTarget(resolved.pathname, targets)) : sameOrigin
}

/**
 * `shouldAttachHeaders` for a request from this page. The page URL is read only when
 * the answer depends on more than the page's `scheme://userinfo@host:port`, which
 * stays what it was at the first request: no history API can change it.
 */
export function shouldAttachHeadersHere(url: string, targets: readonly TracePropagationTarget[] | undefined): boolean {
  if (!pageRoot) {
    const href = pageHref()
    try {
      pageRoot = href && pageOf(href)[1]
    } catch {}
  }
  const path = pageRoot && plainPath(url)
  return path ? plainPathMatches(url, path, targets, pageRoot!) : shouldAttachHeaders(url, targets, pageHref())
}

/** '' until known (and outside an http(s) page). */
let pageRoot: string | undefined

function plainPathMatches(url: string, path: string, targets: readonly TracePropagationTarget[] | undefined, root: string): boolean {
  return !targets || matchesSomeTarget(root + url, targets) || matchesSomeTarget(path, targets)
}

/**
 * The pathname of `url` if it is a path-absolute URL of characters the WHATWG URL
 * parser leaves as they are in a path, query and fragment (nothing it trims,
 * percent-encodes or treats as a separator), without dot segments in its path:
 * then its resolved href is the page's `scheme://userinfo@host:port` followed by
 * `url` itself, and its pathname is `url` up to `?` or `#`. Most same-origin calls
 * look like this, and skip the URL parse.
 */
function plainPath(url: string): string | undefined {
  if (!PLAIN_URL.test(url)) return
  const query = url.indexOf('?')
  const hash = url.indexOf('#')
  const end = query < 0 ? hash : hash < 0 ? query : Math.min(query, hash)
  const path = end < 0 ? url : url.slice(0, end)
  return DOT_SEGMENT.test(path) ? undefined : path
}

// Module constants: a literal in the function would be a new RegExp object per call.
const PLAIN_URL = /^\/(?![/\\])[\w\-.~!$&()*+,;=:@/?#]*$/
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/

/** origin, and the href of the root without its final slash ('' unless an http(s) page). */
type Page = [origin: string, root: string]

// The page's URL rarely changes between requests: parse it once per value.
let lastHref: string | undefined
let lastPage: Page

function pageOf(href: string): Page {
  if (href !== lastHref) {
    const page = new URL(href)
    lastPage = [page.origin, /^https?:$/.test(page.protocol) ? new URL('/', page).href.slice(0, -1) : '']
    lastHref = href
  }
  return lastPage
}

/** The page URL the rule resolves against, read the way the peer SDK reads it; '' outside a document. */
export function pageHref(): string {
  try {
    return (globalThis as { document?: { location?: { href?: string } } }).document?.location?.href ?? ''
  } catch {
    return ''
  }
}
