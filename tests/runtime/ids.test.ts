import { describe, expect, it, vi } from 'vitest'
import { randomHex } from '../../runtime/context.js'

describe('randomHex (trace and span ids)', () => {
  it('gives lowercase hex of the asked length, distinct across many requests', () => {
    const ids = Array.from({ length: 2_000 }, (_, index) => randomHex(index % 3 === 0 ? 16 : 8))
    for (const [index, id] of ids.entries()) expect(id).toMatch(index % 3 === 0 ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{16}$/)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('never returns the all-zero id W3C calls invalid', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => array)
    expect(randomHex(8)).not.toMatch(/^0+$/)
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/)
    spy.mockRestore()
  })
})
