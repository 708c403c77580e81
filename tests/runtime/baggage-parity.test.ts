/**
 * The baggage of a continued trace, against the installed Sentry SDK as the oracle:
 * for any meta/Server-Timing `baggage` value and sampling flag, the `sentry-`
 * entries we send are exactly what @sentry/core's `propagationContextFromHeaders`
 * keeps and `dynamicSamplingContextToSentryBaggageHeader` writes (random draws
 * pinned to one value on both sides, so `sentry-sample_rand` compares exactly).
 */
import { dynamicSamplingContextToSentryBaggageHeader, propagationContextFromHeaders } from '@sentry/core'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { continuedBaggage } from '../../runtime/context.js'

const TRACE_ID = '12345678901234567890123456789012'
const FLAGS = [undefined, '0', '1'] as const

/** What the SDK sends as `baggage` for a page continued from these headers (no header: undefined). */
function sdkBaggage(baggage: string, flag: string | undefined): string | undefined {
  const sentryTrace = `${TRACE_ID}-1234567890123456${flag === undefined ? '' : '-' + flag}`
  return dynamicSamplingContextToSentryBaggageHeader(propagationContextFromHeaders(sentryTrace, baggage).dsc)
}

function compare(baggage: string, flag: string | undefined, random: number): void {
  vi.spyOn(Math, 'random').mockReturnValue(random)
  expect(continuedBaggage(baggage, flag), JSON.stringify({ baggage, flag, random })).toBe(sdkBaggage(baggage, flag) ?? '')
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('continued baggage, compared with the SDK', () => {
  const cases: Array<[string, string]> = [
    ['other vendors only', 'other=1,vendor=x'],
    ['invalid percent-escapes are dropped', 'sentry-a=%,sentry-b=%E0%A4%A,sentry-c=ok,sentry-%zz=1'],
    ['escapes are decoded, then encoded again', 'sentry-transaction=GET%20%2Fitems,sentry-release=has space,sentry-q="x"'],
    ['empty values and keys are dropped', 'sentry-a=,sentry-b= ,=x,sentry-c,sentry-d=1'],
    ['the last of a key wins, where the first stood', 'sentry-a=1,sentry-b=2,sentry-a=3'],
    [';properties stay part of the value', 'sentry-semi=a;prop=1,sentry-eq=x=y'],
    ['whitespace around entries, keys and values', ' sentry-a = 1 ,\tsentry-b\t=\t2\t'],
    ['an encoded prefix counts', 'sentry%2Dx=1'],
    ['sample_rand kept, normalised', 'sentry-sample_rand=0.50000,sentry-trace_id=abc'],
    ['sample_rand out of range is replaced', 'sentry-sample_rand=1.5,sentry-sample_rate=0.25'],
    ['sample_rand missing: from sample_rate and the flag', 'sentry-sample_rate=0.25,sentry-environment=prod'],
    ['a zero sample_rate gives a plain draw', 'sentry-sample_rate=0,sentry-environment=prod'],
    ['a sample_rate with junk after the number', 'sentry-sample_rate=0.5abc'],
    ['prototype names as keys', 'sentry-__proto__=1,sentry-constructor=2,sentry-toString=3'],
    ['keys that look like array indexes', 'sentry-b=1,sentry-10=2,sentry-2=3'],
    ['no sentry- entry at all: no sample_rand either', 'vendor=1'],
    ['empty', ''],
  ]

  it.each(cases)('%s', (_name, baggage) => {
    for (const flag of FLAGS) for (const random of [0, 0.3, 0.999]) compare(baggage, flag, random)
  })

  it('an entry past the 8192-character limit is left out, the rest kept', () => {
    compare(`sentry-a=1,sentry-big=${'x'.repeat(8185)},sentry-b=2`, '1', 0.5)
  })

  it('any baggage made of the parts that matter', () => {
    const part = fc.constantFrom(
      'sentry-', 'sample_rand', 'sample_rate', 'trace_id', 'environment', '=', '=', ',', ',', ' ', '\t', ';', '%', '%2', '%20',
      '%2C', '%3D', '%E2%82%AC', '%ZZ', '0', '0.5', '1', '-1', '2', 'a', 'é', '"', '__proto__', 'x',
    )
    fc.assert(
      fc.property(fc.array(part, { maxLength: 24 }), fc.constantFrom(...FLAGS), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (parts, flag, random) => {
        compare(parts.join(''), flag, random)
        vi.restoreAllMocks()
      }),
      { numRuns: 500 },
    )
  })
})
