/**
 * The one place where "does this request get trace headers?" is decided.
 *
 * Same semantics as the Sentry browser SDK's `shouldAttachHeaders` (see
 * shared SPEC §2). The build-time evaluator in `src/decide.ts` reasons about
 * this exact function and calls it for the concrete cases it can settle.
 */

export type TracePropagationTarget = string | RegExp

/**
 * A RegExp with the `g` or `y` flag keeps `lastIndex` between `.test` calls, so the
 * same URL could match on one request and not on the next. Options validation
 * rejects such patterns at build time; this is the belt to that brace for
 * patterns handed to the runtime directly.
 */
function testPattern(pattern: RegExp, value: string): boolean {
  if (pattern.global || pattern.sticky) pattern.lastIndex = 0
  const matched = pattern.test(value)
  if (pattern.global || pattern.sticky) pattern.lastIndex = 0
  return matched
}

/** A string target matches anywhere in `value`; a RegExp target with `.test`. */
export function matchesSomeTarget(value: string, targets: readonly TracePropagationTarget[]): boolean {
  for (const target of targets) {
    if (typeof target === 'string') {
      if (value.includes(target)) return true
    } else if (target instanceof RegExp) {
      if (testPattern(target, value)) return true
    }
  }
  return false
}

/**
 * Decide whether a request to `url` gets `sentry-trace` / `baggage`.
 *
 * @param url the URL as the caller passed it (relative or absolute)
 * @param targets `tracePropagationTargets`; `undefined` means "same origin only"
 * @param href the page URL (`document.location.href`); empty or absent outside a
 *   document (workers, odd hosts), where only the raw URL string is looked at
 */
export function shouldAttachHeaders(
  url: string,
  targets: readonly TracePropagationTarget[] | undefined,
  href?: string,
): boolean {
  if (!href) {
    // No page to resolve against: only path-absolute URLs are known to be
    // same-origin ("//host" is protocol-relative, so it is excluded).
    return targets ? matchesSomeTarget(url, targets) : /^\/(?!\/)/.test(url)
  }
  let resolved: URL
  let pageOrigin: string
  try {
    resolved = new URL(url, href)
    pageOrigin = originOf(href)
  } catch {
    return false
  }
  const sameOrigin = resolved.origin === pageOrigin
  if (!targets) return sameOrigin
  return (
    matchesSomeTarget(resolved.href, targets) ||
    (sameOrigin && matchesSomeTarget(resolved.pathname, targets))
  )
}

// The page's URL rarely changes between requests: parse it once per value.
let lastHref: string | undefined
let lastOrigin = ''

function originOf(href: string): string {
  if (href !== lastHref) {
    lastOrigin = new URL(href).origin
    lastHref = href
  }
  return lastOrigin
}

/** The page URL the rule resolves against, read the way the peer SDK reads it. */
export function pageHref(): string {
  try {
    return (globalThis as { document?: { location?: { href?: string } } }).document?.location?.href ?? ''
  } catch {
    return ''
  }
}
