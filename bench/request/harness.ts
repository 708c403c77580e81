/**
 * In the page: runs one batch of a loop and returns the JS time per call, from
 * the first call to the moment every returned promise has settled (so the work
 * a wrapper schedules on the response counts too).
 */

export type Loop = (n: number, url: string) => Array<Promise<unknown>>

export interface PageBench {
  /** Nanoseconds per call over one batch of `n` calls. */
  run(variant: string, n: number): Promise<number>
  /** The headers the underlying fetch received on one call, lowercase names. */
  probe(variant: string): Promise<Record<string, string>>
  variants: string[]
}

declare global {
  var __bench: PageBench | undefined
  var __lastInit: RequestInit | undefined
}

export function install(loops: Record<string, { loop: Loop; url: string }>): void {
  globalThis.__bench = {
    variants: Object.keys(loops),
    async run(variant, n) {
      const { loop, url } = loops[variant]!
      const start = performance.now()
      await Promise.all(loop(n, url))
      return ((performance.now() - start) * 1e6) / n
    },
    async probe(variant) {
      const { loop, url } = loops[variant]!
      globalThis.__lastInit = undefined
      await Promise.all(loop(1, url))
      // Read through a cast: the assignment above would narrow it to undefined.
      const init = globalThis.__lastInit as RequestInit | undefined
      return Object.fromEntries(new Headers(init?.headers).entries())
    },
  }
}
