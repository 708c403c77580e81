/** The one mapping from our errors to each bundler's format, with and without a place in the file. */
import { describe, expect, it } from 'vitest'
import { esbuildMessage, rollupError, toPluginError, webpackError } from '../../plugin/errors.js'
import { OptionsError } from '../../src/options.js'
import { TransformError } from '../../src/parse.js'

describe('error shapes', () => {
  const located = new TransformError('Unexpected token', '/app/a.js', { line: 2, column: 4 }, '> 2 | x y')
  const placeless = new TransformError('Maximum call stack size exceeded', '/app/deep.js', undefined, '')
  const options = new OptionsError('[unplugin-sentry-trace] `debug` must be a boolean, got string "yes"')

  it('keep file, line, column, frame and a stable code for Rollup-likes', () => {
    expect(rollupError(toPluginError(located)!)).toEqual({
      message: 'Unexpected token',
      code: 'SENTRY_TRACE_TRANSFORM_FAILED',
      id: '/app/a.js',
      loc: { file: '/app/a.js', line: 2, column: 4 },
      frame: '> 2 | x y',
    })
    expect(rollupError(toPluginError(placeless)!)).toEqual({ message: 'Maximum call stack size exceeded', code: 'SENTRY_TRACE_TRANSFORM_FAILED', id: '/app/deep.js' })
    expect(rollupError(toPluginError(options)!)).toEqual({ message: options.message, code: 'SENTRY_TRACE_INVALID_OPTIONS' })
  })

  it('locate esbuild messages, with the source line when the text is known', () => {
    expect(esbuildMessage(toPluginError(located)!, 'a\nb c y\n')).toMatchObject({ text: 'Unexpected token', location: { file: '/app/a.js', line: 2, column: 4, lineText: 'b c y' } })
    expect(esbuildMessage(toPluginError(placeless)!)).toMatchObject({ text: 'Maximum call stack size exceeded', location: { file: '/app/deep.js' } })
    expect(esbuildMessage(toPluginError(options)!).location).toBeUndefined()
    expect(esbuildMessage(toPluginError(options)!).detail.code).toBe('SENTRY_TRACE_INVALID_OPTIONS')
  })

  it('put place and frame in the message for webpack and Rspack, which print it with the module', () => {
    const error = webpackError(toPluginError(located)!)
    expect(error.message).toBe('/app/a.js:2:5: Unexpected token\n\n> 2 | x y')
    expect((error as Error & { code: string }).code).toBe('SENTRY_TRACE_TRANSFORM_FAILED')
    expect(webpackError(toPluginError(placeless)!).message).toBe('/app/deep.js: Maximum call stack size exceeded')
  })

  it('leave any other error alone', () => {
    expect(toPluginError(new TypeError('x'))).toBeUndefined()
  })
})
