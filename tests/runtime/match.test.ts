/**
 * shouldAttachHeaders takes a shortcut for plain path-absolute URLs (no URL
 * parse). It must answer exactly what the rule answers with a full parse, which
 * this test spells out independently, on random URLs, targets and pages.
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { matchesSomeTarget, shouldAttachHeaders, type TracePropagationTarget } from '../../runtime/match.js'

function reference(url: string, targets: TracePropagationTarget[] | undefined, href: string): boolean {
  const matches = (value: string) =>
    targets!.some((target) =>
      typeof target === 'string' ? value.toLowerCase().includes(target.toLowerCase()) : new RegExp(target.source, `${target.flags.replace(/[gy]/g, '')}${target.ignoreCase ? '' : 'i'}`).test(value),
    )
  let resolved: URL
  let origin: string
  try {
    resolved = new URL(url, href)
    origin = new URL(href).origin
  } catch {
    return false
  }
  const same = resolved.origin === origin
  if (!targets) return same
  return matches(resolved.href) || (same && matches(resolved.pathname))
}

const piece = fc.constantFrom('/', 'api', 'API', 'users', 'Users', '.', '..', '%2e', '?', '#', '&', '=', "'", '"', ' ', '\t', '\\', 'ü', '{', '|', '^', '`', '@', ':', '~', '!', '$', '(', ')', '*', '+', ',', ';', '-', '_', 'A', '1', '[', ']', '<', '>')
const url = fc.tuple(fc.constantFrom('/', '/', '/', '//', '', 'https://x.test/'), fc.array(piece, { maxLength: 8 })).map(([head, rest]) => head + rest.join(''))
const target = fc.constantFrom<TracePropagationTarget>('api', '/api', 'API', 'api?', '#', "'", '%27', '%2E', '%20', '/users', '/Users', 'X.TEST', /^\/api/, /^\/API/, /^\/api\/users$/, /users$/, /Users$/i, /%/, /%2e/, /\?$/, /^HTTPS:\/\/u:p@/, /\.\./, /api/g, /\/API/y, 'x.test')
const targets = fc.option(fc.array(target, { maxLength: 3 }), { nil: undefined })
const page = fc.constantFrom('https://app.test/', 'HTTPS://APP.TEST/X', 'http://app.test:8080/a/b?q#h', 'https://u:p@app.test/x', 'https://x.test/', 'file:///C:/app/index.html', 'blob:https://app.test/uuid', 'about:blank', 'data:text/html,hi')

it('answers exactly what a full URL parse answers (fast-check, 20,000 cases)', () => {
  fc.assert(
    fc.property(url, targets, page, (u, t, href) => {
      expect(shouldAttachHeaders(u, t, href), `${JSON.stringify(u)} ${String(t)} on ${href}`).toBe(reference(u, t, href))
    }),
    { numRuns: 20_000 },
  )
})

it('tests a g or y RegExp target without reading or writing its lastIndex', () => {
  for (const pattern of [/api/g, /\/API/y]) {
    pattern.lastIndex = 3
    expect([1, 2, 3].map(() => matchesSomeTarget('/api/x', [pattern]))).toEqual([true, true, true])
    expect(pattern.lastIndex).toBe(3)
  }
})

it('matches case-insensitively: lower-cased strings, RegExps with the i flag', () => {
  expect(matchesSomeTarget('/API/Users', ['api/users'])).toBe(true)
  expect(matchesSomeTarget('/api/users', ['API/USERS'])).toBe(true)
  expect(matchesSomeTarget('/API', [/^\/api$/])).toBe(true)
  expect(matchesSomeTarget('/api', [/^\/API$/])).toBe(true)
  expect(matchesSomeTarget('/apx', [/^\/API$/, 'API'])).toBe(false)
  expect(shouldAttachHeaders('HTTPS://MY-ORIGIN.COM/API', [/^\/api/], 'https://my-origin.com/')).toBe(true)
  expect(shouldAttachHeaders('/API/x', [/^\/api/], 'https://my-origin.com/')).toBe(true)
})
