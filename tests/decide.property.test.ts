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

describe('shouldAttachHeaders follows the peer SDK rule (SPEC §2 vectors)', () => {
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

const HOSTS = ['example.com', 'api.example.com', 'localhost:3000', 'my-origin.com', 'API.Example.com', '127.0.0.1:8080', 'user:pw@example.com']
const SEGMENTS = ['api', 'users', 'v1', '..', '.', '%2e%2e', 'API', 'a b', 'x\\y', 'ü', '', 'health', 'localhost', 'my-query']

const host = fc.constantFrom(...HOSTS)
const path = fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 4 }).map((segments) => segments.join('/'))
const query = fc.option(fc.constantFrom('?q=1', '?my-query', '?url=https://my-origin.com', '?api', '?a=/api'), { nil: '' })
const fragment = fc.option(fc.constantFrom('#top', '#/api', '#?q'), { nil: '' })
const leading = fc.constantFrom('', '', '', ' ', '\t', '\n')

const absoluteUrl = fc
  .tuple(fc.constantFrom('https://', 'http://', 'HTTPS://', 'https:\\\\', 'ws://', 'blob:https://'), host, path, query, fragment)
  .map(([scheme, h, p, q, f]) => `${scheme}${h}/${p}${q}${f}`)
const protocolRelative = fc.tuple(fc.constantFrom('//', '\\\\', '/\\'), host, path, query).map(([s, h, p, q]) => `${s}${h}/${p}${q}`)
const pathAbsolute = fc.tuple(path, query, fragment).map(([p, q, f]) => `/${p}${q}${f}`)
const pathRelative = fc.tuple(fc.constantFrom('', './', '../', 'api/', 'localhost:3000/'), path, query).map(([s, p, q]) => `${s}${p}${q}`)
const oddScheme = fc.constantFrom('https:relative', 'http:/one-slash', 'mailto:a@b.c', 'data:text/plain,api', 'javascript:void(0)', 'https://[::1]/api')

const fullUrl = fc.tuple(leading, fc.oneof(absoluteUrl, protocolRelative, pathAbsolute, pathAbsolute, pathRelative, oddScheme)).map(([l, u]) => l + u)

/** A URL split into known text and holes, with the values the holes take in one execution. */
const partialUrl = fc
  .tuple(fullUrl, fc.nat(), fc.nat(), fc.array(fc.constantFrom('', '../..', '..', '/x', '?a', '#b', 'api', '\t/evil', '//evil.com', '%2e%2e/', 'api.example.com', '/api', 'localhost'), { minLength: 1, maxLength: 2 }))
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
)
const targets = fc.option(fc.array(target, { maxLength: 3 }), { nil: undefined })

const page = fc.option(
  fc.oneof(
    fc.tuple(fc.constantFrom('https://', 'http://'), host, path, query).map(([s, h, p, q]) => `${s}${h}/${p}${q}`),
    fc.constantFrom('https://my-origin.com/api/my-route', 'http://localhost:3000/', 'https://api.example.com/app/'),
  ),
  { nil: undefined },
)

function fill(value: StaticString, fills: string[]): string {
  let index = 0
  return value.parts.map((part) => (part === HOLE ? fills[index++]! : part)).join('')
}

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

  it('decides a real share of cases at build time (the property is not vacuous)', () => {
    const total = counts.always + counts.never + counts.runtime
    if (process.env.PROPERTY_VERBOSE) console.info(counts)
    expect(total).toBeGreaterThanOrEqual(2 * RUNS)
    expect(counts.always / total).toBeGreaterThan(0.05)
    expect(counts.never / total).toBeGreaterThan(0.05)
  })
})
