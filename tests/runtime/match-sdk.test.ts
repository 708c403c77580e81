/**
 * Differential test: the installed Sentry SDK is the oracle for the matching rule.
 *
 * - `matchesTracePropagationTargets` is exported by `@sentry/core`.
 * - The browser rule `shouldAttachHeaders` is exported by `@sentry/browser`'s
 *   `tracing/request` module but not by the package entry, so that module file is
 *   imported from the installed package by path. It reads the page URL from
 *   `globalThis.document.location.href` (`getLocationHref` in
 *   `@sentry/browser-utils`), which each case sets, or removes for "no page".
 *
 * No expected value below is written by hand: every answer of ours is compared with
 * the SDK's answer for the same input.
 */
import { matchesTracePropagationTargets } from '@sentry/core'
import fc from 'fast-check'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { matchesSomeTarget, shouldAttachHeaders, type TracePropagationTarget } from '../../runtime/match.js'

type Rule = (url: string, targets: TracePropagationTarget[] | undefined) => boolean

const require = createRequire(import.meta.url)
const browserPackage = require.resolve('@sentry/browser/package.json')
const sdkVersion = (require(browserPackage) as { version: string }).version

let sdkShouldAttachHeaders: Rule

beforeAll(async () => {
  const request = join(dirname(browserPackage), 'build/npm/esm/prod/tracing/request.js')
  sdkShouldAttachHeaders = ((await import(pathToFileURL(request).href)) as { shouldAttachHeaders: Rule }).shouldAttachHeaders
})

const globals = globalThis as { document?: unknown }

/** The SDK's answer on a page at `href` (undefined: no document at all). */
function sdk(url: string, targets: TracePropagationTarget[] | undefined, href: string | undefined): boolean {
  globals.document = href === undefined ? undefined : { location: { href } }
  try {
    return sdkShouldAttachHeaders(url, targets)
  } finally {
    delete globals.document
  }
}

afterEach(() => {
  delete globals.document
})

// --- generators -------------------------------------------------------------

/** Each character of `text` upper- or lower-cased by `mask` (a bit per character). */
function recase(text: string, mask: number): string {
  return Array.from(text, (character, index) => ((mask >> index % 31) & 1 ? character.toUpperCase() : character.toLowerCase())).join('')
}

const mixedCase = (values: string[]) => fc.tuple(fc.constantFrom(...values), fc.nat()).map(([value, mask]) => recase(value, mask))

const scheme = mixedCase(['https:', 'http:', 'ws:', 'wss:', 'file:', 'blob:https:', 'data:', 'mailto:', 'javascript:', 'ftp:', 'chrome-extension:'])
const host = mixedCase(['my-origin.com', 'api.example.com', 'localhost', 'localhost:3000', '127.0.0.1:8080', 'my-origin.com:443', 'my-origin.com:80', '[::1]', 'user:pw@my-origin.com', 'xn--bcher-kva.example', 'bücher.example', 'a b', ''])
const segment = fc.oneof(
  mixedCase(['api', 'users', 'v1', 'health', 'my-query', 'localhost', 'kelvin']),
  fc.constantFrom('', '.', '..', '%2e', '%2E%2e', '%41pi', '%zz', '%c3%bc', 'ü', 'Ü', 'ΑΣ', 'Σx', '\u212a', 'İ', 'a b', 'x\\y', '\t', '😀', "'", '"', '<>', '{}', '|'),
)
const path = fc.array(segment, { maxLength: 4 }).map((segments) => segments.join('/'))
const query = fc.option(mixedCase(['?q=1', '?my-query', '?url=https://my-origin.com/api', '?API=%2F', '?', '?a=b&c=d']), { nil: '' })
const hash = fc.option(mixedCase(['#top', '#/api', '#?q=1', '#']), { nil: '' })
const leading = fc.constantFrom('', '', '', ' ', '\t', '\n ')

const url = fc
  .tuple(
    leading,
    fc.oneof(
      fc.tuple(scheme, fc.constantFrom('//', '\\\\', '', '/'), host, path).map(([s, slashes, h, p]) => `${s}${slashes}${h}/${p}`),
      fc.tuple(fc.constantFrom('//', '\\\\', '/\\'), host, path).map(([slashes, h, p]) => `${slashes}${h}/${p}`),
      path.map((p) => `/${p}`),
      path.map((p) => `/${p}`),
      fc.tuple(fc.constantFrom('', './', '../', 'api/', 'my-origin.com/', 'localhost:3000/'), path).map(([start, p]) => start + p),
      fc.constantFrom('http://[', 'https://', 'HTTPS:', 'https:relative', '//', '', 'javascript:void(0)'),
    ),
    query,
    hash,
  )
  .map(([l, u, q, h]) => l + u + q + h)

const PATTERNS = ['^\\/api', '^\\/', '^https:', 'api', '\\/users$', '^http:\\/\\/localhost', 'example\\.com', '^\\/(?!\\/)', '\\bapi\\b', '^\\/API', '(?<=\\/)users', '^[a-z]+:\\/\\/api\\.', '^\\/v1|health', 'ü', '%C3%BC', 'ς', 'σ', 'k', '\\u212a', '.*', '(?:)', '^$', '\\p{Lu}', '[A-Z]{3}', '^HTTPS?:\\/\\/MY-ORIGIN\\.COM\\/API']
const FLAG_SETS = ['', 'i', 'g', 'y', 'gi', 'gy', 'iy', 'm', 's', 'u', 'iu', 'gu', 'd', 'v', 'iv']

/** One RegExp object per pattern and flags, reused across cases (both sides cache per RegExp). */
const regExps = new Map<string, RegExp>()
function regExp(source: string, flags: string): RegExp {
  const key = `/${source}/${flags}`
  let pattern = regExps.get(key)
  if (!pattern) {
    try {
      pattern = new RegExp(source, flags)
    } catch {
      pattern = new RegExp(source.replace(/\\p\{Lu\}/g, 'P'), flags)
    }
    regExps.set(key, pattern)
  }
  return pattern
}

const target: fc.Arbitrary<TracePropagationTarget> = fc.oneof(
  fc.tuple(fc.constantFrom(...PATTERNS), fc.constantFrom(...FLAG_SETS)).map(([source, flags]) => regExp(source, flags)),
  mixedCase(['api', '/api', 'localhost', 'my-origin.com', 'api.example.com', 'my-query', '?q=', '%2e', '%2E', 'https://', 'http://my-origin.com', '', 'ü', 'Ü', 'ς', 'σ', 'Σ', '\u212a', 'k', 'İ', 'i\u0307', '/users?', '#']),
)
const targets = fc.option(fc.array(target, { maxLength: 3 }), { nil: undefined })

const page = fc.option(
  fc.oneof(
    fc.tuple(mixedCase(['https://', 'http://']), host, path, query, hash).map(([s, h, p, q, f]) => `${s}${h}/${p}${q}${f}`),
    fc.constantFrom('https://my-origin.com/api/my-route', 'file:///C:/app/index.html', 'about:blank', 'data:text/html,hi', 'blob:https://my-origin.com/uuid', 'not a url', ''),
  ),
  { nil: undefined },
)

/** Both rules must leave every RegExp's lastIndex where the caller put it. */
function lastIndexes(list: TracePropagationTarget[] | undefined): number[] {
  return (list ?? []).map((item) => (item instanceof RegExp ? item.lastIndex : -1))
}

// --- the tests --------------------------------------------------------------

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000)

describe(`the matching rule equals @sentry/browser ${sdkVersion}'s`, () => {
  it('is measured against an installed v11 release', () => {
    expect(sdkVersion).toMatch(/^11\./)
  })

  it(`matchesSomeTarget equals matchesTracePropagationTargets (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(url, fc.array(target, { maxLength: 3 }), (value, list) => {
        for (const item of list) if (item instanceof RegExp) item.lastIndex = 1
        const before = lastIndexes(list)
        const expected = matchesTracePropagationTargets(value, list)
        expect(matchesSomeTarget(value, list), `${JSON.stringify(value)} [${list.map(String).join(', ')}]`).toBe(expected)
        expect(lastIndexes(list)).toEqual(before)
      }),
      { numRuns: RUNS },
    )
  })

  it(`shouldAttachHeaders equals the SDK's, with a page and without (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(url, targets, page, (value, list, href) => {
        const expected = sdk(value, list, href)
        expect(shouldAttachHeaders(value, list, href), `${JSON.stringify(value)} ${list ? `[${list.map(String).join(', ')}]` : 'unset'} on ${JSON.stringify(href)}`).toBe(expected)
      }),
      { numRuns: RUNS },
    )
  })

  it('known vectors, the page-less rule and case folding, asked of the SDK', () => {
    const table: Array<[string, TracePropagationTarget[] | undefined, string | undefined]> = [
      ['https://my-origin.com/test', undefined, 'https://my-origin.com'],
      ['/api/test', undefined, 'https://my-origin.com'],
      ['//my-origin.com/test', undefined, 'https://my-origin.com'],
      ['foobar', undefined, 'https://my-origin.com'],
      ['not-my-origin.com/api/test', undefined, 'https://my-origin.com'],
      ['http://my-origin.com/api', undefined, 'https://my-origin.com'],
      ['http://localhost:3000', undefined, 'https://my-origin.com'],
      ['//not-my-origin.com/test', undefined, 'https://my-origin.com'],
      ['https://somewhere.com/test?url=https://my-origin.com', undefined, 'https://my-origin.com'],
      ['https://my-origin.com', [/^\//], 'https://my-origin.com/api/my-route'],
      ['https://not-my-origin.com/', [/^\//], 'https://my-origin.com/api/my-route'],
      ['//not-my-origin.com', [/^https:/], 'https://my-origin.com/api/my-route'],
      ['https://not-my-origin.com/api', [/^\/api/], 'https://my-origin.com/api/my-route'],
      ['https://not-my-origin.com/api', [/api/], 'https://my-origin.com/api/my-route'],
      ['foobar', [/^\/api\/foobar/], 'https://my-origin.com/api/my-route'],
      ['https://not-my-origin.com?my-query', ['my-query'], 'https://my-origin.com/api/my-route'],
      ['/api/test', [], 'https://my-origin.com/api/my-route'],
      ['HTTPS://MY-ORIGIN.COM/API', [/^\/api/], 'https://my-origin.com/api/my-route'],
      ['/API', [/^\/api/g], 'https://my-origin.com/'],
      ['/API', ['/api'], undefined],
      ['/api', undefined, undefined],
      ['//host/api', undefined, undefined],
    ]
    for (const [value, list, href] of table) {
      expect(shouldAttachHeaders(value, list, href), `${value} ${String(list)} on ${href}`).toBe(sdk(value, list, href))
    }
  })
})

describe(`shouldAttachHeadersHere (cached page root) equals the SDK's on the same page`, () => {
  // The page root is read once per module instance: a fresh instance per page.
  const roots = ['https://my-origin.com', 'HTTP://Localhost:3000', 'https://user:pw@api.example.com', 'file:///C:', undefined]
  for (const root of roots) {
    it(`on ${root ?? 'no page'}`, async () => {
      vi.resetModules()
      const fresh = await import('../../runtime/match.js')
      fc.assert(
        fc.property(url, targets, fc.option(fc.tuple(path, query, hash), { nil: undefined }), (value, list, rest) => {
          const href = root === undefined ? undefined : `${root}/${rest ? rest.join('') : ''}`
          const expected = sdk(value, list, href)
          globals.document = href === undefined ? undefined : { location: { href } }
          const ours = fresh.shouldAttachHeadersHere(value, list)
          delete globals.document
          expect(ours, `${JSON.stringify(value)} ${list ? `[${list.map(String).join(', ')}]` : 'unset'} on ${JSON.stringify(href)}`).toBe(expected)
        }),
        { numRuns: RUNS / 5 },
      )
    })
  }
})
