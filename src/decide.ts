import { parseRegExpLiteral, type AST } from '@eslint-community/regexpp'
import { caseInsensitive, matchesSomeTarget, shouldAttachHeaders, type TracePropagationTarget } from '../runtime/match.js'
import { HOLE, isFullyKnown, knownPrefix, type StaticString } from './evaluate.js'

/**
 * `always`: every execution of the call attaches headers; `never`: none does;
 * `runtime`: it depends on something only the browser knows.
 */
export type Decision = 'always' | 'never' | 'runtime'

/**
 * Decide at build time what `shouldAttachHeaders` (runtime/match.ts) will answer
 * for a request URL, or say that it cannot be known (the rule: docs/propagation.md).
 *
 * SOUND by construction: `always`/`never` is returned only when the runtime rule
 * gives that answer for every page the code could run in — any http(s) page URL,
 * and no page at all (workers), where the rule looks at the raw string; with
 * `pages: 'any'`, pages of any other scheme too — and for
 * every value of the unknown parts of the URL. Everything else is `runtime`.
 * Matching is case-insensitive (string targets and values lower-cased, RegExps
 * tested with the `i` flag), so every shortcut below that reads a target or a URL
 * does so through the same case folding. Three-valued verdicts per world are
 * combined at the end.
 */
export function decideStatically(
  url: StaticString | undefined,
  targets: readonly TracePropagationTarget[] | undefined,
  pages: 'http' | 'any' = 'http',
): Decision {
  // `[]` never attaches, whatever the URL and the page (both branches of the rule).
  if (targets && targets.length === 0) return 'never'
  if (!url) return 'runtime'
  // On a page of another scheme only an absolute http(s) URL is never same-origin,
  // which makes the answer that of an http(s) page of another origin (one of the
  // pages decided for below). Anything else may resolve against that page.
  if (pages === 'any' && !/^https?:[/\\]{2}/i.test(parserView(knownPrefix(url)))) return 'runtime'
  const verdicts = isFullyKnown(url) ? knownUrlVerdicts(url.parts[0], targets) : partialUrlVerdicts(url, targets)
  if (verdicts.every((verdict) => verdict === true)) return 'always'
  if (verdicts.every((verdict) => verdict === false)) return 'never'
  return 'runtime'
}

type Verdict = boolean | undefined

const PAGE_HOST = 'page.sentry-trace.invalid'
const OTHER_PAGE_HOST = 'other-page.sentry-trace.invalid'

/** The WHATWG URL parser drops leading/trailing C0 controls and spaces, and every tab and newline. */
function parserView(url: string): string {
  return url.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '')
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+\-.]*):/

function tryUrl(input: string, base?: string): URL | undefined {
  try {
    return new URL(input, base)
  } catch {
    return undefined
  }
}

function pageOtherThan(resolved: URL, protocol: string): string {
  return `${protocol}//${resolved.hostname === PAGE_HOST ? OTHER_PAGE_HOST : PAGE_HOST}/`
}

// ---------------------------------------------------------------------------
// Fully known URLs

function knownUrlVerdicts(url: string, targets: readonly TracePropagationTarget[] | undefined): Verdict[] {
  // No page (worker): the rule reads the raw string, exactly.
  const verdicts: Verdict[] = [shouldAttachHeaders(url, targets)]
  const view = parserView(url)
  const scheme = SCHEME.exec(view)?.[1]?.toLowerCase()

  if (scheme !== undefined) {
    const rest = view.slice(scheme.length + 1)
    if ((scheme === 'http' || scheme === 'https') && !/^[/\\]{2}/.test(rest)) {
      // "https:foo" is relative on an https page and absolute on an http one.
      verdicts.push(undefined)
      return verdicts
    }
    // Absolute: the resolved URL is the same on every page. The answer can only
    // differ between a page on the resolved origin and a page on any other origin,
    // and within each class it does not depend on which page: try one of each.
    const resolved = tryUrl(url)
    if (!resolved) {
      verdicts.push(false)
      return verdicts
    }
    for (const protocol of ['https:', 'http:']) verdicts.push(shouldAttachHeaders(url, targets, pageOtherThan(resolved, protocol)))
    if (/^https?:\/\//.test(resolved.origin)) verdicts.push(shouldAttachHeaders(url, targets, `${resolved.origin}/`))
    return verdicts
  }

  if (/^[/\\]{2}/.test(view)) {
    // Protocol-relative: resolved with the page's scheme; per scheme, the same
    // two classes of page as above.
    for (const protocol of ['https:', 'http:']) {
      const resolved = tryUrl(url, `${protocol}//${PAGE_HOST}/`)
      if (!resolved) {
        verdicts.push(false)
        continue
      }
      verdicts.push(shouldAttachHeaders(url, targets, pageOtherThan(resolved, protocol)))
      if (/^https?:\/\//.test(resolved.origin)) verdicts.push(shouldAttachHeaders(url, targets, `${resolved.origin}/`))
    }
    return verdicts
  }

  if (/^[/\\]/.test(view)) {
    verdicts.push(pathAbsoluteVerdict(url, targets))
    return verdicts
  }

  verdicts.push(pathRelativeVerdict(url, targets))
  return verdicts
}

/**
 * "/path?query#hash": always the page's origin, and the path does not depend on
 * the page. With targets, the full URL is `<page origin> + rest`, and the origin
 * is anything: reason about every origin at once.
 */
function pathAbsoluteVerdict(url: string, targets: readonly TracePropagationTarget[] | undefined): Verdict {
  if (!targets) return true
  const resolved = new URL(url, `https://${PAGE_HOST}/`)
  if (matchesSomeTarget(resolved.pathname, targets)) return true
  const rest = resolved.href.slice(resolved.origin.length)
  let allExcluded = true
  for (const target of targets) {
    if (matchesEveryOriginFollowedBy(target, rest)) return true
    if (!cannotMatchAnyOriginFollowedBy(target, rest)) allExcluded = false
  }
  return allExcluded ? false : undefined
}

/**
 * "foo/bar", "./x", "?q": resolved against the page's directory, which can be
 * anything. Only an `always` is reachable: when the URL has no dot segments, its
 * own text ends every resolved URL, and a target found in it matches everywhere.
 */
function pathRelativeVerdict(url: string, targets: readonly TracePropagationTarget[] | undefined): Verdict {
  const first = tryUrl(url, `https://${PAGE_HOST}/a/b`)
  const second = tryUrl(url, `https://${OTHER_PAGE_HOST}/x/y/z`)
  if (!first || !second) return undefined
  if (!targets) return first.origin === `https://${PAGE_HOST}` && second.origin === `https://${OTHER_PAGE_HOST}` ? true : undefined
  const tail = first.href.slice(`https://${PAGE_HOST}/a/`.length)
  if (tail !== second.href.slice(`https://${OTHER_PAGE_HOST}/x/y/`.length)) return undefined
  for (const target of targets) {
    if (matchesEveryOriginFollowedBy(target, tail)) return true
  }
  return undefined
}

// ---------------------------------------------------------------------------
// Partly known URLs (templates and concatenations with unknown parts)

function partialUrlVerdicts(url: StaticString, targets: readonly TracePropagationTarget[] | undefined): Verdict[] {
  const prefix = knownPrefix(url)
  const pathAbsolute = /^\/[^/\\\t\n\r]/.test(prefix)
  if (!targets) {
    // "/x..." stays on the page's origin whatever follows, and passes the
    // no-page rule `^\/(?!\/)` too.
    return pathAbsolute ? [true] : [undefined]
  }
  return [noPagePartialVerdict(prefix, targets), pagePartialVerdict(url, prefix, pathAbsolute, targets)]
}

function noPagePartialVerdict(prefix: string, targets: readonly TracePropagationTarget[]): Verdict {
  let allExcluded = true
  for (const target of targets) {
    if (matchesEveryExtensionOf(target, prefix)) return true
    if (!(target instanceof RegExp && cannotMatchStringStartingWith(target, prefix))) allExcluded = false
  }
  return allExcluded ? false : undefined
}

function pagePartialVerdict(
  url: StaticString,
  prefix: string,
  pathAbsolute: boolean,
  targets: readonly TracePropagationTarget[],
): Verdict {
  // The unknown text comes after a '?' or '#': the path is fully known.
  const queryStart = prefix.search(/[?#]/)
  if (pathAbsolute) {
    if (queryStart === -1) return undefined
    const pathname = new URL(prefix.slice(0, queryStart), `https://${PAGE_HOST}/`).pathname
    if (matchesSomeTarget(pathname, targets)) return true
    return everyTargetExcludesHref(targets) ? false : undefined
  }

  const authority = /^(https?):[/\\]{2}[^/\\?#\s]*/i.exec(prefix)
  if (!authority || url.parts[0] === HOLE || authority[0].length === prefix.length) return undefined
  // The authority is terminated inside the known text, so the origin is known.
  const root = tryUrl(`${authority[0]}/`)
  if (!root) return undefined
  const known = queryStart === -1 ? root : tryUrl(prefix.slice(0, queryStart))
  if (!known) return undefined
  const hrefPrefix = queryStart === -1 ? root.href : known.origin === root.origin ? known.href.replace(/[?#].*$/, '') : root.href
  for (const target of targets) {
    if (matchesEveryExtensionOf(target, hrefPrefix)) return true
  }
  if (!everyTargetExcludesHref(targets)) return undefined
  // Only the same-origin pathname check is left, and it needs the full path.
  if (!/^https?:\/\//.test(root.origin)) return false
  if (queryStart === -1) return undefined
  return matchesSomeTarget(known.pathname, targets) ? undefined : false
}

/** No target can match any resolved http(s) URL. */
function everyTargetExcludesHref(targets: readonly TracePropagationTarget[]): boolean {
  return targets.every((target) => target instanceof RegExp && cannotMatchStringStartingWith(target, 'http'))
}

// ---------------------------------------------------------------------------
// What a target can match, reasoned about without knowing all of the string

/**
 * Characters that never occur in the part of a resolved URL before its path
 * (`scheme://userinfo@host:port`): forbidden in hosts and percent-encoded in
 * userinfo (WHATWG URL), and no non-ASCII (hosts are punycoded).
 */
const NOT_IN_ORIGIN = /[?#\\^|<> \u0000-\u001f\u007f-\uffff]/

/**
 * `target` matches `<any origin> + rest` for every origin. `rest` is the tail of a
 * resolved URL (ASCII only), so lower-casing the whole is lower-casing each part.
 */
function matchesEveryOriginFollowedBy(target: TracePropagationTarget, rest: string): boolean {
  if (typeof target === 'string') return rest.toLowerCase().includes(target.toLowerCase())
  return regexShape(target).suffixSafe && caseInsensitive(target).test(rest)
}

/**
 * `target` matches `<origin> + rest` for no origin at all. Both are ASCII (resolved),
 * so the rule's lower-cased value is the lower-cased origin then the lower-cased
 * `rest`; the target is lower-cased first (KELVIN SIGN becomes a plain `k`).
 */
function cannotMatchAnyOriginFollowedBy(target: TracePropagationTarget, rest: string): boolean {
  if (target instanceof RegExp) return cannotMatchStringStartingWith(target, 'http')
  const needle = target.toLowerCase()
  const haystack = rest.toLowerCase()
  if (haystack.includes(needle)) return false
  if (!NOT_IN_ORIGIN.test(needle)) return false
  // Straddling the boundary: an origin's tail followed by the start of `rest`.
  for (let split = 1; split < needle.length; split++) {
    if (haystack.startsWith(needle.slice(split)) && !NOT_IN_ORIGIN.test(needle.slice(0, split))) return false
  }
  return true
}

/** `target` matches every string (`''`, `/(?:)/`, `new RegExp('.*')`): every request gets headers. */
export function matchesEveryString(target: TracePropagationTarget): boolean {
  return matchesEveryExtensionOf(target, '')
}

/** `target` matches every string that starts with `prefix`. */
function matchesEveryExtensionOf(target: TracePropagationTarget, prefix: string): boolean {
  if (typeof target === 'string') return lowerCaseStart(prefix).includes(target.toLowerCase())
  return regexShape(target).prefixSafe && caseInsensitive(target).test(prefix)
}

/**
 * The lower case of `prefix`, cut where it could differ from the start of the lower
 * case of a longer string: a capital sigma lower-cases to final `ς` or to `σ` by what
 * follows it (the one context-dependent mapping of `toLowerCase`), and a trailing
 * high surrogate may pair with what follows. Every other code point lower-cases alone.
 */
function lowerCaseStart(prefix: string): string {
  return prefix.replace(/\u03a3[^]*|[\ud800-\udbff]$/, '').toLowerCase()
}

interface RegexShape {
  /** A match inside a string is still a match when anything is prepended. */
  suffixSafe: boolean
  /** A match inside a string is still a match when anything is appended. */
  prefixSafe: boolean
  /** Per top-level alternative: the leading single-character elements after `^`, or null if not anchored. */
  anchoredHeads: Array<string[] | null>
  parsed: boolean
}

const shapes = new WeakMap<RegExp, RegexShape>()

function regexShape(pattern: RegExp): RegexShape {
  let shape = shapes.get(pattern)
  if (shape) return shape
  shape = { suffixSafe: false, prefixSafe: false, anchoredHeads: [], parsed: false }
  let literal: AST.RegExpLiteral | undefined
  try {
    literal = parseRegExpLiteral(pattern)
  } catch {
    literal = undefined
  }
  if (literal) {
    let start = false
    let end = false
    let word = false
    let lookahead = false
    let lookbehind = false
    const visit = (node: AST.Node): void => {
      if (node.type === 'Assertion') {
        if (node.kind === 'start') start = true
        else if (node.kind === 'end') end = true
        else if (node.kind === 'word') word = true
        else if (node.kind === 'lookahead') lookahead = true
        else lookbehind = true
      }
      for (const child of children(node)) visit(child)
    }
    visit(literal.pattern)
    // A match inside a suffix only looks at that suffix unless it anchors at the
    // start, looks behind, or tests a word boundary (which peeks at the char before).
    shape.suffixSafe = !start && !lookbehind && !word
    shape.prefixSafe = !end && !lookahead && !word
    shape.anchoredHeads = pattern.multiline ? [null] : literal.pattern.alternatives.map(anchoredHead)
    shape.parsed = true
  }
  shapes.set(pattern, shape)
  return shape
}

function children(node: AST.Node): AST.Node[] {
  switch (node.type) {
    case 'Pattern':
    case 'CapturingGroup':
    case 'Group':
      return node.alternatives
    case 'Alternative':
      return node.elements
    case 'Assertion':
      return node.kind === 'lookahead' || node.kind === 'lookbehind' ? node.alternatives : []
    case 'Quantifier':
      return [node.element]
    default:
      return []
  }
}

function singleCharacterSource(element: AST.Element): string | undefined {
  if (element.type === 'Character') return element.raw
  if (element.type === 'CharacterSet') {
    if (element.kind === 'property' && element.strings) return undefined
    return element.raw
  }
  if (element.type === 'CharacterClass') {
    if (element.unicodeSets && element.elements.some((inner) => inner.type === 'ClassStringDisjunction' || (inner.type !== 'Character' && inner.type !== 'CharacterClassRange' && inner.type !== 'CharacterSet'))) return undefined
    return element.raw
  }
  return undefined
}

function anchoredHead(alternative: AST.Alternative): string[] | null {
  const [first, ...rest] = alternative.elements
  if (!first || first.type !== 'Assertion' || first.kind !== 'start') return null
  const head: string[] = []
  for (const element of rest) {
    if (element.type === 'Quantifier') {
      const inner = singleCharacterSource(element.element)
      if (inner !== undefined && element.min >= 1) head.push(inner)
      break
    }
    const source = singleCharacterSource(element)
    if (source === undefined) break
    head.push(source)
  }
  return head.length ? head : null
}

/**
 * True when `pattern` can match no string that starts with `prefix`: every
 * alternative is anchored with `^` (and no `m` flag) and its leading characters
 * disagree with the prefix. The leading characters are probed with the flags the
 * rule tests with (`i` added), so `^H` agrees with `http`.
 */
export function cannotMatchStringStartingWith(pattern: RegExp, prefix: string): boolean {
  const shape = regexShape(pattern)
  if (!shape.parsed || shape.anchoredHeads.length === 0) return false
  const unicode = pattern.unicode || pattern.flags.includes('v')
  // A trailing high surrogate may be half of a code point the rest of the string completes.
  const characters = unicode ? Array.from(prefix.replace(/[\ud800-\udbff]$/, '')) : prefix.split('')
  const flags = caseInsensitive(pattern).flags.replace('m', '')
  return shape.anchoredHeads.every((head) => {
    if (!head) return false
    const length = Math.min(head.length, characters.length)
    if (length === 0) return false
    const probe = new RegExp(`^(?:${head.slice(0, length).join('')})$`, flags)
    return !probe.test(characters.slice(0, length).join(''))
  })
}
