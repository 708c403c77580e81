/**
 * shouldAttachHeaders takes a shortcut for plain path-absolute URLs (no URL
 * parse). It must answer exactly what the rule answers with a full parse, which
 * this test spells out independently, on random URLs, targets and pages.
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { matchesSomeTarget, shouldAttachHeaders, type TracePropagationTarget } from '../../runtime/match.js'

function reference(url: string, targets: TracePropagationTarget[] | undefined, href: string): boolean {
  const matches = (value: string) => targets!.some((target) => (typeof target === 'string' ? value.includes(target) : new RegExp(target.source, target.flags).test(value)))
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

const piece = fc.constantFrom('/', 'api', 'users', '.', '..', '%2e', '?', '#', '&', '=', "'", '"', ' ', '\t', '\\', 'ü', '{', '|', '^', '`', '@', ':', '~', '!', '$', '(', ')', '*', '+', ',', ';', '-', '_', 'A', '1', '[', ']', '<', '>')
const url = fc.tuple(fc.constantFrom('/', '/', '/', '//', '', 'https://x.test/'), fc.array(piece, { maxLength: 8 })).map(([head, rest]) => head + rest.join(''))
const target = fc.constantFrom<TracePropagationTarget>('api', '/api', 'api?', '#', "'", '%27', '%20', '/users', /^\/api/, /^\/api\/users$/, /users$/, /%/, /\?$/, /^https:\/\/u:p@/, /\.\./, 'x.test')
const targets = fc.option(fc.array(target, { maxLength: 3 }), { nil: undefined })
const page = fc.constantFrom('https://app.test/', 'http://app.test:8080/a/b?q#h', 'https://u:p@app.test/x', 'https://x.test/', 'file:///C:/app/index.html', 'blob:https://app.test/uuid', 'about:blank', 'data:text/html,hi')

it('answers exactly what a full URL parse answers (fast-check, 20,000 cases)', () => {
  fc.assert(
    fc.property(url, targets, page, (u, t, href) => {
      expect(shouldAttachHeaders(u, t, href), `${JSON.stringify(u)} ${String(t)} on ${href}`).toBe(reference(u, t, href))
    }),
    { numRuns: 20_000 },
  )
})

it('leaves no lastIndex behind on a g or y RegExp target (shared SPEC §2)', () => {
  for (const pattern of [/api/g, /\/api/y]) {
    expect(matchesSomeTarget('/api/x', [pattern])).toBe(true)
    expect(pattern.lastIndex).toBe(0)
    expect(matchesSomeTarget('/api/x', [pattern])).toBe(true)
  }
})
