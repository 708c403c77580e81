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
 * through its {@link caseInsensitive} copy (written out here: a call costs more
 * shipped bytes). Anything else in `targets` never matches.
 * The targets are read once per array (the last array seen is kept in that form,
 * its RegExps copied once): an array changed in place after its first match is not
 * read again.
 */
export function matchesSomeTarget(value: string, targets: readonly TracePropagationTarget[]): boolean {
  if (targets !== lastTargets) {
    lastTargets = targets
    normalised = targets.map((target) =>
      typeof target === 'string' ? target.toLowerCase() : target instanceof RegExp && new RegExp(target, target.flags.replace(/[giy]/g, '') + 'i'),
    )
  }
  const lower = value.toLowerCase()
  for (const target of normalised) if (typeof target === 'string' ? lower.includes(target) : target && target.test(value)) return true
  return false
}

// The targets array last matched against, in the form matchesSomeTarget tests.
let lastTargets: readonly TracePropagationTarget[] | undefined
let normalised: Array<string | RegExp | false>

/**
 * A copy of `pattern` with the `i` flag and without `g` / `y`: without those two
 * flags `test` neither reads nor writes `lastIndex`, so no state carries from one
 * request to the next, and the caller's own pattern is never touched. The build's
 * decisions use it; `matchesSomeTarget` makes the same copy.
 */
export function caseInsensitive(pattern: RegExp): RegExp {
  return new RegExp(pattern, pattern.flags.replace(/[giy]/g, '') + 'i')
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
  // Without a page only path-absolute URLs are known to be same-origin ("//host" is
  // protocol-relative, so it is excluded), and the URL is matched as it is.
  let full = url
  let path: string | false | undefined = url
  let sameOrigin = /^\/(?!\/)/.test(url)
  if (href) {
    try {
      // The page's URL rarely changes between requests: parse it once per value.
      if (href !== lastHref) {
        const page = new URL(href)
        origin = page.origin
        root = /^https?:/.test(page.href) ? new URL('/', page).href.slice(0, -1) : ''
        lastHref = href
      }
      // A plain path (see PLAIN_PATH) skips the URL parse: its resolved href is the
      // root followed by `url` itself, and it is same-origin.
      path = root && !url.includes('/.') && PLAIN_PATH.exec(url)?.[1]
      if (path) full = root + url
      else {
        const resolved = new URL(url, href)
        full = resolved.href
        path = resolved.pathname
        sameOrigin = resolved.origin === origin
      }
    } catch {
      return false
    }
  }
  return targets ? matchesSomeTarget(full, targets) || (sameOrigin && matchesSomeTarget(path, targets)) : sameOrigin
}

/**
 * A path-absolute URL of characters the WHATWG URL parser leaves as they are in a
 * path, query and fragment (nothing it trims, percent-encodes or treats as a
 * separator); its path (up to `?` or `#`) is group 1. A URL with `/.` anywhere
 * (maybe a dot segment) must not get here: shouldAttachHeaders rules it out with a
 * string search, which costs less than a look-ahead through the whole URL. Most
 * same-origin calls look like this. Any other URL fails at its first characters. Its classes are RFC 3986's unreserved characters and
 * sub-delimiters, `:`, `@` and `/` (`(-/` is the range `()*+,-./`), and then `?` and
 * `#`. A module constant: a literal in the function would be a new
 * RegExp object per call.
 */
const PLAIN_PATH = /^(\/(?!\/)[\w!$&(-/:;=@~]*)[\w!#$&(-/:;=?@~]*$/

/** `shouldAttachHeaders` for a request from this page (the runtime reads the page URL once per request and calls `shouldAttachHeaders`). */
export function shouldAttachHeadersHere(url: string, targets: readonly TracePropagationTarget[] | undefined): boolean {
  return shouldAttachHeaders(url, targets, pageHref())
}

// The last page URL parsed, its origin, and the href of its root without the final
// slash ('' unless an http(s) page).
let lastHref: string | undefined
let origin: string
let root: string

/** The page URL the rule resolves against, read the way the peer SDK reads it; '' outside a document (a ReferenceError there). */
export function pageHref(): string {
  try {
    return document.location.href
  } catch {
    return ''
  }
}
