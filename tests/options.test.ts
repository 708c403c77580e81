/**
 * `tracePropagationTargets` as resolved at build time: RegExps normalised the way the
 * runtime tests them, a warning for a target that matches every URL, and the runtime
 * configuration that carries them into the bundle.
 */
import { describe, expect, it } from 'vitest'
import { matchesSomeTarget, type TracePropagationTarget } from '../runtime/match.js'
import { resolveOptions, serializeRuntimeConfig } from '../src/options.js'

describe('RegExp targets', () => {
  it('accepts g and y and drops them (the runtime adds i), leaving the caller\'s RegExps alone', () => {
    const stateful = /api/g
    stateful.lastIndex = 2
    const mine = [stateful, /^\/v1/y, /Users/i, /x/dgmsu, 'API']
    const { targets } = resolveOptions({ tracePropagationTargets: mine })
    expect(targets!.map((target) => (typeof target === 'string' ? target : [target.source, target.flags]))).toEqual([
      ['api', ''],
      ['^\\/v1', ''],
      ['Users', 'i'],
      ['x', 'dmsu'],
      'API',
    ])
    expect(mine.map(String)).toEqual(['/api/g', '/^\\/v1/y', '/Users/i', '/x/dgmsu', 'API'])
    expect(stateful.lastIndex).toBe(2)
    expect(targets![2]).toBe(mine[2])
  })

  it('normalises tracingOrigins the same way', () => {
    const { targets } = resolveOptions({ tracingOrigins: [/api/gy] })
    expect(String(targets![0])).toBe('/api/')
  })
})

describe('a target that matches every URL', () => {
  const warningsOf = (targets: TracePropagationTarget[]) => resolveOptions({ tracePropagationTargets: targets }).warnings

  it.each<[TracePropagationTarget, string]>([
    ['', '""'],
    [/.*/, '/.*/'],
    [/(?:)/, '/(?:)/'],
    [new RegExp(''), '/(?:)/'],
    [/^/g, '/^/g'],
    [/x*/i, '/x*/i'],
  ])('warns about %s', (target, shown) => {
    const warnings = warningsOf(['api', target])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`\`tracePropagationTargets[1]\` (${shown}) matches every URL`)
    // It does: the warning is about the rule, not a guess.
    for (const url of ['', 'https://anything.example/x?y#z', '/', 'relative', 'HTTP://X']) expect(matchesSomeTarget(url, [target])).toBe(true)
  })

  it.each<TracePropagationTarget>(['api', ' ', /^\/api/, /^$/, /x/, /\b/])('does not warn about %s', (target) => {
    expect(warningsOf([target])).toEqual([])
  })

  it('warns for tracingOrigins when they are used, not when they are ignored', () => {
    expect(resolveOptions({ tracingOrigins: [''] }).warnings).toEqual([
      expect.stringContaining('`tracingOrigins` is deprecated'),
      expect.stringContaining('`tracingOrigins[0]` ("") matches every URL'),
    ])
    expect(resolveOptions({ tracingOrigins: [''], tracePropagationTargets: ['api'] }).warnings).toEqual([expect.stringContaining('`tracingOrigins` is ignored')])
  })
})

describe('serializeRuntimeConfig', () => {
  const targets: TracePropagationTarget[] = [
    'api',
    'it\'s "quoted" \\ </script> \u2028 ü',
    '',
    /a\/b/g,
    new RegExp('a/b'),
    new RegExp('[/]', 'y'),
    new RegExp('\n|\u2028'),
    /(?:)/,
    new RegExp('\\p{Lu}+', 'v'),
    /^\/API/i,
  ]

  it('writes JS that evaluates to the resolved targets, and the rule answers the same with them', () => {
    const resolved = resolveOptions({ tracePropagationTargets: targets, propagateTraceparent: true })
    const source = serializeRuntimeConfig(resolved)
    const config = new Function(`return ${source}`)() as { tracePropagationTargets: TracePropagationTarget[]; propagateTraceparent: boolean }
    expect(config.propagateTraceparent).toBe(true)
    expect(config.tracePropagationTargets.map(String)).toEqual(resolved.targets!.map(String))
    for (const [index, target] of config.tracePropagationTargets.entries()) {
      expect(typeof target).toBe(typeof resolved.targets![index])
      if (typeof target === 'string') expect(target).toBe(resolved.targets![index])
    }
    const urls = ['/api', '/API/x', 'https://a.example/a/b', '/[/]', '\n', 'x\u2028y', 'ÜBER', "it's \"quoted\" \\ </script> \u2028 ü", 'nothing']
    for (const [index, target] of targets.entries()) {
      for (const url of urls) {
        expect(matchesSomeTarget(url, [config.tracePropagationTargets[index]!]), `${String(target)} on ${JSON.stringify(url)}`).toBe(matchesSomeTarget(url, [target]))
      }
    }
  })

  it('writes nothing for unset options', () => {
    expect(serializeRuntimeConfig(resolveOptions({}))).toBe('{}')
  })
})
