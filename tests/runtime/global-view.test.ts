/** `const { fetch } = window` rewritten: destructuring through traceFetchIn. */
import { afterEach, describe, expect, it } from 'vitest'
import { traceFetchFunction, traceFetchIn, untraceFetchFunction } from '../../runtime/index.js'

describe('traceFetchIn', () => {
  afterEach(() => {
    delete (globalThis as { probe?: unknown }).probe
  })

  it('gives back any object other than the global object unchanged', () => {
    const api = { fetch: () => 1 }
    expect(traceFetchIn(api)).toBe(api)
    expect(traceFetchIn(undefined)).toBeUndefined()
    expect(traceFetchIn(null)).toBeNull()
  })

  it("reads the global's fetch as its traced function and every other member as it is", () => {
    const { fetch, setTimeout: timer, Array: array } = traceFetchIn(globalThis)
    expect(fetch).toBe(traceFetchFunction(globalThis.fetch))
    expect(fetch).not.toBe(globalThis.fetch)
    expect(untraceFetchFunction(fetch)).toBe(globalThis.fetch)
    expect(timer).toBe(globalThis.setTimeout)
    expect(array).toBe(Array)
  })

  it('calls getters of the global object with the global object as `this`', () => {
    let seen: unknown
    Object.defineProperty(globalThis, 'probe', {
      configurable: true,
      get() {
        seen = this
        return 42
      },
    })
    const { probe } = traceFetchIn(globalThis) as unknown as { probe: number }
    expect(probe).toBe(42)
    expect(seen).toBe(globalThis)
  })

  it('keeps an absent fetch absent', () => {
    const original = globalThis.fetch
    try {
      ;(globalThis as { fetch?: unknown }).fetch = undefined
      expect(traceFetchIn(globalThis).fetch).toBeUndefined()
    } finally {
      globalThis.fetch = original
    }
  })
})
