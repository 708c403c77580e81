/** Inputs that are valid but unusual: deep nesting, declaration files, huge one-line files. */
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TransformError, transform } from '../src/index.js'

describe('deep code the parser accepts', () => {
  it('walks a 10,000-link promise chain and a 4,000-term sum without exhausting the stack', () => {
    const chain = `fetch('/api/a')${'.then((r) => r)'.repeat(10_000)}`
    const chained = transform(chain, 'chain.js')
    expect(chained?.sites).toHaveLength(1)
    expect(chained?.code).toContain('.then((r) => r)')
    const sum = `const u = '/api/' + ${Array.from({ length: 4000 }, (_, i) => `x${i}`).join(' + ')}; fetch(u)`
    // The known prefix is still found under four thousand levels of `+`.
    expect(transform(sum, 'sum.js')?.sites[0]?.decision).toBe('always')
  })

  it('reports code nested deeper than the parser follows without a made-up location', () => {
    const sum = `fetch('/api/' + ${Array.from({ length: 20_000 }, (_, i) => `x${i}`).join(' + ')})`
    expect(() => transform(sum, 'sum.js')).toThrow(TransformError)
    try {
      transform(sum, 'sum.js')
    } catch (error) {
      expect((error as TransformError).loc).toBeUndefined()
      expect((error as TransformError).message).toMatch(/^sum\.js: /)
    }
  })
})

describe('declaration files', () => {
  it.each(['types.d.ts', 'types.d.mts', 'types.d.cts', 'styles.d.css.ts'])('never transforms %s', (id) => {
    // Content that a .ts file would have rewritten: the name alone decides.
    expect(transform("declare const api: typeof fetch\nfetch('/api')", id)).toBeNull()
  })
})

describe('errors', () => {
  it('cuts the code frame of a huge one-line file to a window around the column', () => {
    const code = `fetch('/api');[${'a,'.repeat(250_000)}@@${'b,'.repeat(250_000)}]`
    let error: unknown
    try {
      transform(code, 'bundle.min.js')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(TransformError)
    const located = error as TransformError
    expect(located.loc?.line).toBe(1)
    expect(code.slice(located.loc!.column - 1, located.loc!.column + 1)).toBe('@@')
    expect(located.message.length).toBeLessThan(1000)
    expect(located.frame).toContain('@@')
    expect(located.frame).toContain('…')
    // The caret still points at the offending character in the cut line.
    const lines = located.frame.split('\n')
    const marked = lines.findIndex((line) => line.startsWith('>'))
    const caret = lines[marked + 1]!.indexOf('^')
    expect(lines[marked]![caret - 1]).toBe('@')
  })
})

describe('the runtime', () => {
  it('is never rewritten, wherever a copy of it is installed (decided by its marker, not its path)', () => {
    const sources = readdirSync(resolve(import.meta.dirname, '../runtime')).filter((name) => name.endsWith('.ts'))
    expect(sources.length).toBeGreaterThan(5)
    let candidates = 0
    for (const name of sources) {
      const code = readFileSync(resolve(import.meta.dirname, '../runtime', name), 'utf8')
      if (/\bfetch\b|XMLHttpRequest/.test(code)) candidates++
      for (const id of [`/elsewhere/node_modules/.pnpm/unplugin-sentry-trace@9.9.9/node_modules/unplugin-sentry-trace/dist/runtime/${name}`, `/symlinked/copy/${name}`]) {
        expect(transform(code, id), `${name} at ${id}`).toBeNull()
        // The same text without its first line would be rewritten: the marker is what decides.
        if (name === 'fetch.ts') expect(transform(code.slice(code.indexOf('\n') + 1), id), name).not.toBeNull()
      }
    }
    expect(candidates).toBeGreaterThan(2)
  })
})
