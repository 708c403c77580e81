/**
 * Soundness of build-time decisions: whenever `decideStatically` says `always`
 * or `never`, the runtime rule `shouldAttachHeaders` must give that answer for
 * every page URL (or none) and every value of the unknown parts of the URL.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { shouldAttachHeaders, type TracePropagationTarget } from '../runtime/match.js'
import { decideStatically } from '../src/decide.js'
import { HOLE, type StaticString } from '../src/evaluate.js'

const RUNS = Number(process.env.PROPERTY_RUNS ?? 12_000)

describe('shouldAttachHeaders follows the peer SDK rule (known vectors)', () => {
  const unsetPage = 'https://my-origin.com'
  const setPage = 'https://my-origin.com/api/my-route'
  const vectors: Array<[string, TracePropagationTarget[] | undefined, boolean]> = [
    ['https://my-origin.com/test', undefined, true],
    ['/api/test', undefined, true],
    ['//my-origin.com/test', undefined, true],
    ['foobar', undefined, true],
    ['not-my-origin.com/api/test', undefined, true],
    ['http://my-origin.com/api', undefined, false],
    ['http://localhost:3000', undefined, false],
    ['//not-my-origin.com/test', undefined, false],
    ['https://somewhere.com/test?url=https://my-origin.com', undefined, false],
    ['https://my-origin.com', [/^\//], true],
    ['https://not-my-origin.com/', [/^\//], false],
    ['//not-my-origin.com', [/^https:/], true],
    ['https://not-my-origin.com/api', [/^\/api/], false],
    ['https://not-my-origin.com/api', [/api/], true],
    ['foobar', [/^\/api\/foobar/], true],
    ['https://not-my-origin.com?my-query', ['my-query'], true],
    // Since v11 the SDK matches case-insensitively.
    ['HTTPS://MY-ORIGIN.COM/API', [/^\/api/], true],
    ['https://not-my-origin.com/API', ['/api'], true],
    ['https://not-my-origin.com/api', [/\/API$/], true],
    ['https://not-my-origin.com/api', [/\/API$/g], true],
    ['/api/test', [], false],
    ['https://my-origin.com/test', [], false],
  ]
  for (const [url, targets, expected] of vectors) {
    it(`${url} with ${targets ? `[${targets.map(String).join(', ')}]` : 'unset'} -> ${expected}`, () => {
      expect(shouldAttachHeaders(url, targets, targets ? setPage : unsetPage)).toBe(expected)
    })
  }

  it('without a page: only "/x" by default, raw URL against targets', () => {
    expect(shouldAttachHeaders('/api', undefined)).toBe(true)
    expect(shouldAttachHeaders('//host/api', undefined)).toBe(false)
    expect(shouldAttachHeaders('api', undefined)).toBe(false)
    expect(shouldAttachHeaders('https://x.com/api', [/^\/api/])).toBe(false)
    expect(shouldAttachHeaders('/api/x', [/^\/api/])).toBe(true)
  })

  it('a g or y RegExp does not carry lastIndex from one request to the next', () => {
    const target = /api/g
    expect([1, 2, 3].map(() => shouldAttachHeaders('/api', [target], 'https://a.com/'))).toEqual([true, true, true])
  })
})

// --- generators -------------------------------------------------------------

const HOSTS = ['example.com', 'api.example.com', 'localhost:3000', 'my-origin.com', 'API.Example.com', 'MY-ORIGIN.COM', '127.0.0.1:8080', 'user:pw@example.com', 'User:PW@Example.com']
// Mixed case, and the code points whose lower case is special: Σ (by what follows it), K (KELVIN SIGN, to 'k').
const SEGMENTS = ['api', 'users', 'v1', '..', '.', '%2e%2e', '%2E', 'API', 'Api', 'USERS', 'a b', 'x\\y', 'ü', 'Ü', 'ΑΣ', 'Kb', '\u212a', '\ud83d', '', 'health', 'localhost', 'my-query']

const host = fc.constantFrom(...HOSTS)
const path = fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 4 }).map((segments) => segments.join('/'))
const query = fc.option(fc.constantFrom('?q=1', '?my-query', '?MY-QUERY', '?url=https://my-origin.com', '?api', '?a=/API'), { nil: '' })
const fragment = fc.option(fc.constantFrom('#top', '#/api', '#?q'), { nil: '' })
const leading = fc.constantFrom('', '', '', ' ', '\t', '\n')

const absoluteUrl = fc
  .tuple(fc.constantFrom('https://', 'http://', 'HTTPS://', 'Http://', 'https:\\\\', 'ws://', 'WS://', 'blob:https://'), host, path, query, fragment)
  .map(([scheme, h, p, q, f]) => `${scheme}${h}/${p}${q}${f}`)
const protocolRelative = fc.tuple(fc.constantFrom('//', '\\\\', '/\\'), host, path, query).map(([s, h, p, q]) => `${s}${h}/${p}${q}`)
const pathAbsolute = fc.tuple(path, query, fragment).map(([p, q, f]) => `/${p}${q}${f}`)
const pathRelative = fc.tuple(fc.constantFrom('', './', '../', 'api/', 'localhost:3000/'), path, query).map(([s, p, q]) => `${s}${p}${q}`)
const oddScheme = fc.constantFrom('https:relative', 'HTTP:/one-slash', 'mailto:a@b.c', 'data:text/plain,API', 'javascript:void(0)', 'https://[::1]/api', 'HTTPS://[::1]/API')

const fullUrl = fc.tuple(leading, fc.oneof(absoluteUrl, protocolRelative, pathAbsolute, pathAbsolute, pathRelative, oddScheme)).map(([l, u]) => l + u)

/** A URL split into known text and holes, with the values the holes take in one execution. */
const partialUrl = fc
  .tuple(fullUrl, fc.nat(), fc.nat(), fc.array(fc.constantFrom('', '../..', '..', '/x', '?a', '#b', 'api', 'API', 'x', '\t/evil', '//evil.com', '//EVIL.com', '%2e%2e/', 'api.example.com', '/api', '/API', 'localhost', '\ude00'), { minLength: 1, maxLength: 2 }))
  .map(([url, a, b, fills]) => {
    const cut1 = a % (url.length + 1)
    const cut2 = cut1 + (b % (url.length - cut1 + 1))
    const parts: Array<string | typeof HOLE> = [url.slice(0, cut1), HOLE]
    const values = [fills[0]!]
    if (fills.length > 1 && cut2 > cut1) {
      parts.push(url.slice(cut1, cut2), HOLE)
      values.push(fills[1]!)
    }
    parts.push(url.slice(cut2))
    const merged = parts.filter((part) => part !== '')
    return { value: { parts: merged.length ? merged : [''] } as StaticString, fills: values }
  })

const target: fc.Arbitrary<TracePropagationTarget> = fc.constantFrom<TracePropagationTarget>(
  'api',
  '/api',
  'localhost',
  'example.com',
  'api.example.com',
  'my-query',
  '?q=',
  '%2e',
  'https://',
  '',
  /^\/api/,
  /^\//,
  /^https:/,
  /api/,
  /\/users$/,
  /^http:\/\/localhost/,
  /example\.com/i,
  /^\/(?!\/)/,
  /\bapi\b/,
  /^\/API/i,
  /(?<=\/)users/,
  /^[a-z]+:\/\/api\./,
  /^\/v1|health/,
  'API',
  '/Api',
  'Example.COM',
  'HTTPS://',
  '\u212a',
  'ς',
  'σ',
  /^\/api/g,
  /API/y,
  /example\.COM/gi,
  /^HTTPS:/,
  /^H/,
  /^\/USERS/i,
  /^[A-Z]+:\/\/API\./,
  /^\/\u{1f600}/u,
  /^\/Ü/iu,
)
const targets = fc.option(fc.array(target, { maxLength: 3 }), { nil: undefined })

const page = fc.option(
  fc.oneof(
    fc.tuple(fc.constantFrom('https://', 'http://'), host, path, query).map(([s, h, p, q]) => `${s}${h}/${p}${q}`),
    fc.constantFrom('https://my-origin.com/api/my-route', 'HTTPS://MY-ORIGIN.COM/Api/', 'http://localhost:3000/', 'https://api.example.com/app/'),
  ),
  { nil: undefined },
)

function fill(value: StaticString, fills: string[]): string {
  let index = 0
  return value.parts.map((part) => (part === HOLE ? fills[index++]! : part)).join('')
}

describe('decideStatically and the corners of case folding', () => {
  // Each URL below attaches in one execution and not in another, so `runtime` is
  // the only sound decision; the two executions are asked of the runtime rule.
  const cases: Array<[string, Array<string | typeof HOLE>, TracePropagationTarget[], [string, string | undefined], [string, string | undefined]]> = [
    // KELVIN SIGN lower-cases to an ASCII 'k', which an origin can hold.
    ['a non-ASCII target whose lower case is ASCII', ['/x'], ['\u212a'], ['', 'https://kb.example/'], ['', 'https://a.example/']],
    // 'ΑΣ' alone lower-cases to 'ας' (final sigma), 'ΑΣx' to 'ασx'.
    ['a capital sigma before unknown text', ['https:\\\\a.example\\ΑΣ', HOLE], ['ς', 'a.example/'], ['', undefined], ['x', undefined]],
    // The unknown text may complete a surrogate pair the pattern asks for.
    ['a high surrogate before unknown text', ['/?\ud83d', HOLE], [/^\/\?\u{1f600}/u], ['\ude00', undefined], ['', undefined]],
  ]
  for (const [name, parts, t, [fillA, pageA], [fillB, pageB]] of cases) {
    it(name, () => {
      const run = (fillValue: string, href: string | undefined) => shouldAttachHeaders(parts.map((part) => (part === HOLE ? fillValue : part)).join(''), t, href)
      expect(run(fillA, pageA)).toBe(true)
      expect(run(fillB, pageB)).toBe(false)
      expect(decideStatically({ parts }, t)).toBe('runtime')
    })
  }

  it('still decides what case folding settles: an upper-case host in known text', () => {
    const parts: StaticString['parts'] = ['HTTPS://API.Example/', HOLE]
    const t = ['api.example/', /^HTTPS:\/\/api\./]
    expect(decideStatically({ parts }, [t[0]!])).toBe('always')
    expect(decideStatically({ parts }, [t[1]!])).toBe('always')
    for (const fillValue of ['', 'x', '?q', '#h', '../..']) {
      for (const href of [undefined, 'https://api.example/', 'http://other.test/a/b']) {
        for (const target of t) expect(shouldAttachHeaders(`HTTPS://API.Example/${fillValue}`, [target], href)).toBe(true)
      }
    }
  })
})

describe('decideStatically is sound', () => {
  const counts = { always: 0, never: 0, runtime: 0 }

  it(`fully known URLs (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(fullUrl, targets, fc.array(page, { minLength: 1, maxLength: 4 }), (url, t, pages) => {
        const decision = decideStatically({ parts: [url] }, t)
        counts[decision]++
        if (decision === 'runtime') return
        // Also the pages on the URL's own origin, where same-origin rules kick in.
        const own = (() => {
          try {
            const origin = new URL(url, 'https://my-origin.com/').origin
            return /^https?:\/\//.test(origin) ? [`${origin}/deep/page`] : []
          } catch {
            return []
          }
        })()
        for (const href of [...pages, ...own]) {
          expect(shouldAttachHeaders(url, t, href), `${JSON.stringify(url)} ${String(t)} on ${href}`).toBe(decision === 'always')
        }
      }),
      { numRuns: RUNS },
    )
  })

  it(`URLs with unknown parts (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(partialUrl, targets, fc.array(page, { minLength: 1, maxLength: 4 }), ({ value, fills }, t, pages) => {
        const decision = decideStatically(value, t)
        counts[decision]++
        if (decision === 'runtime') return
        const url = fill(value, fills)
        for (const href of pages) {
          expect(shouldAttachHeaders(url, t, href), `${JSON.stringify(value.parts.map((p) => (p === HOLE ? '<?>' : p)))} = ${JSON.stringify(url)} ${String(t)} on ${href}`).toBe(decision === 'always')
        }
      }),
      { numRuns: RUNS },
    )
  })

  // Pages of other schemes: Electron, Capacitor, Tauri, extensions, and the documents
  // a page opens without a URL of its own. Their origins are opaque ('null'), of their
  // own scheme (an extension in Chromium), or the one inside (blob:).
  const otherPage = fc.constantFrom(
    'file:///C:/app/index.html',
    'file:///app/index.html',
    'app://host/index.html',
    'app://./index.html',
    'capacitor://localhost/',
    'ionic://localhost/api/',
    'tauri://localhost/',
    'chrome-extension://abcdefghijklmnop/popup.html',
    'moz-extension://0d7a-uuid/api/page.html',
    'about:blank',
    'about:srcdoc',
    'blob:https://my-origin.com/uuid',
    'data:text/html,hi',
  )
  const anyPage = fc.oneof(page, otherPage)

  it(`with pages: 'any', every scheme of page (${RUNS} cases each, known and partly known URLs)`, () => {
    let decided = 0
    fc.assert(
      fc.property(fc.oneof(fullUrl.map((url) => ({ value: { parts: [url] } as StaticString, fills: [] as string[] })), partialUrl), targets, fc.array(anyPage, { minLength: 1, maxLength: 4 }), ({ value, fills }, t, pages) => {
        const decision = decideStatically(value, t, 'any')
        if (decision === 'runtime') return
        decided++
        // Never more than the http(s) pages allow.
        expect(decideStatically(value, t)).toBe(decision)
        const url = fill(value, fills)
        for (const href of pages) {
          expect(shouldAttachHeaders(url, t, href), `${JSON.stringify(url)} ${String(t)} on ${href}`).toBe(decision === 'always')
        }
      }),
      { numRuns: RUNS },
    )
    expect(decided).toBeGreaterThan(RUNS / 20)
  })

  it(`with pages: 'any', relative URLs are left to the browser; absolute http(s) ones are still decided`, () => {
    expect(decideStatically({ parts: ['/api/me'] }, [/^\/api/], 'any')).toBe('runtime')
    expect(decideStatically({ parts: ['/api/me'] }, [/^\/api/])).toBe('always')
    // On a Windows file: page the path is /C:/api/me: the rule does not match there.
    expect(shouldAttachHeaders('/api/me', [/^\/api/], 'file:///C:/app/index.html')).toBe(false)
    expect(decideStatically({ parts: ['capacitor://localhost/api'] }, undefined, 'any')).toBe('runtime')
    expect(shouldAttachHeaders('capacitor://localhost/api', undefined, 'capacitor://localhost/')).toBe(true)
    expect(decideStatically({ parts: ['https://api.example.com/x'] }, ['api.example.com'], 'any')).toBe('always')
    expect(decideStatically({ parts: ['https://ads.example/x'] }, ['api.example.com'], 'any')).toBe('never')
    expect(decideStatically({ parts: ['\tHTTPS:\\\\api.example.com/x'] }, ['api.example.com'], 'any')).toBe('always')
    expect(decideStatically({ parts: ['https://api.example.com/', HOLE] }, ['api.example.com'], 'any')).toBe('always')
    expect(decideStatically({ parts: ['https:', HOLE] }, ['api.example.com'], 'any')).toBe('runtime')
    expect(decideStatically({ parts: ['/x'] }, [], 'any')).toBe('never')
  })

  it('decides a real share of cases at build time (the property is not vacuous)', () => {
    const total = counts.always + counts.never + counts.runtime
    if (process.env.PROPERTY_VERBOSE) console.info(counts)
    expect(total).toBeGreaterThanOrEqual(2 * RUNS)
    expect(counts.always / total).toBeGreaterThan(0.05)
    expect(counts.never / total).toBeGreaterThan(0.05)
  })
})
