/**
 * Bad options fail where the plugin is created, for every way in, with a message
 * that names the option and what was given; `report` is checked before the build
 * writes anything.
 */

import { transformSync } from '@babel/core'
import * as esbuild from 'esbuild'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rollup } from 'rollup'
import webpack from 'webpack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import type { PluginOptions } from '../../plugin/options.js'
import sentryRolldown from '../../plugin/rolldown.js'
import sentryRollup from '../../plugin/rollup.js'
import sentryRspack from '../../plugin/rspack.js'
import sentryVite from '../../plugin/vite.js'
import sentryWebpack from '../../plugin/webpack.js'
import babelPlugin from '../../src/babel.js'
import { OptionsError, transform } from '../../src/index.js'
import { runWebpackLike, type WebpackLikeCompiler } from './helpers/builds.js'
import { outputDir, REPO_ROOT } from './helpers/paths.js'

const BROKEN_DIR = join(REPO_ROOT, 'tests/bundlers/fixtures/broken')

/** Every way in, as a user creates it with these options. */
const ENTRIES: Record<string, (options: unknown) => unknown> = {
  vite: (options) => sentryVite(options as PluginOptions),
  webpack: (options) => sentryWebpack(options as PluginOptions),
  rspack: (options) => sentryRspack(options as PluginOptions),
  esbuild: (options) => sentryEsbuild(options as PluginOptions),
  rollup: (options) => sentryRollup(options as PluginOptions),
  rolldown: (options) => sentryRolldown(options as PluginOptions),
  babel: (options) => transformSync('', { filename: 'a.js', configFile: false, babelrc: false, plugins: [[babelPlugin, options]] }),
  transform: (options) => transform("fetch('/api')", 'a.js', options as PluginOptions),
}
const BUNDLERS = ['vite', 'webpack', 'rspack', 'esbuild', 'rollup', 'rolldown']

function failure(create: () => unknown): Error {
  let caught: unknown
  try {
    create()
  } catch (error) {
    caught = error
  }
  expect(caught, 'must throw').toBeInstanceOf(Error)
  return caught as Error
}

/** Babel wraps a plugin's error in its own, keeping the message. */
function expectOptionsError(error: Error, message: string | RegExp): void {
  if (!(error instanceof OptionsError)) expect(error.message).toContain('SentryTraceOptionsError')
  else expect(error.code).toBe('SENTRY_TRACE_INVALID_OPTIONS')
  expect(error.message).toMatch(typeof message === 'string' ? new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : message)
}

describe.each(Object.keys(ENTRIES))('%s', (entry) => {
  const create = ENTRIES[entry]!

  it.each([
    ['tracePropagationTarget', 'tracePropagationTargets'],
    ['propagateTraceParent', 'propagateTraceparent'],
    ['exlcude', 'exclude'],
  ])('rejects the unknown option `%s`, naming the closest known one', (key, closest) => {
    expectOptionsError(failure(() => create({ [key]: ['x'] })), `unknown option \`${key}\`: did you mean \`${closest}\`?`)
  })

  it('lists the known options for a key like none of them', () => {
    const error = failure(() => create({ fooBarBaz: 1 }))
    expectOptionsError(error, 'unknown option `fooBarBaz` (known options: tracePropagationTargets,')
    if (BUNDLERS.includes(entry)) expect(error.message).toContain('report, ssr, sentry')
  })

  it.each<[object, string]>([
    [{ include: 42 }, '`include` must be a glob string, a RegExp or an array of them, got number 42'],
    [{ exclude: [/x/, {}] }, '`exclude[1]` must be a glob string or a RegExp, got an object'],
    [{ debug: 'yes' }, '`debug` must be a boolean, got string "yes"'],
    [{ propagateTraceparent: 1 }, '`propagateTraceparent` must be a boolean, got number 1'],
    [{ tracePropagationTargets: '/api' }, '`tracePropagationTargets` must be an array of strings or RegExps, got string "/api"'],
    [{ axios: 'axios' }, '`axios` must be an array of module names, got string "axios"'],
  ])('rejects %o, naming the option and the value', (options, message) => {
    expectOptionsError(failure(() => create(options)), message)
  })

  it('rejects options that are not an object', () => {
    const error = failure(() => create([]))
    // Babel checks a plugin's options object itself, first.
    if (entry === 'babel') expect(error.message).toContain('must be an object')
    else expectOptionsError(error, 'options must be an object, got an array')
  })
})

describe('options of one way in', () => {
  it.each(BUNDLERS)('%s: checks report, ssr and sentry', (entry) => {
    const create = ENTRIES[entry]!
    expectOptionsError(failure(() => create({ sentry: 123 })), '`sentry` must be a module name, got number 123')
    expectOptionsError(failure(() => create({ ssr: 'no' })), '`ssr` must be a boolean, got string "no"')
    expectOptionsError(failure(() => create({ report: true })), '`report` must be a file path, got boolean true')
    // The options of the other ways in are not theirs.
    expectOptionsError(failure(() => create({ runtimeModule: 'x' })), 'unknown option `runtimeModule`')
  })

  it('transform and Babel: check entry and runtimeModule, and know no bundler option', () => {
    expectOptionsError(failure(() => ENTRIES.transform!({ entry: 'yes' })), '`entry` must be a boolean, got string "yes"')
    expectOptionsError(failure(() => ENTRIES.transform!({ runtimeModule: 7 })), '`runtimeModule` must be a module name, got number 7')
    expectOptionsError(failure(() => ENTRIES.babel!({ entry: 3 })), '`entry` must be a glob string, a RegExp or an array of them, got number 3')
    expectOptionsError(failure(() => ENTRIES.babel!({ report: 'r.json' })), 'unknown option `report` (known options: tracePropagationTargets,')
    expect(ENTRIES.babel!({ entry: (file: string) => file.endsWith('.js') })).toBeTruthy()
  })
})

describe('a report that cannot be written', () => {
  let dir: string
  let dispose: (() => Promise<void>) | undefined

  beforeAll(async () => {
    const out = await outputDir('bad-report')
    dir = out.dir
    dispose = out.dispose
    // A project of its own: the report's place is relative to the project's root (plugin/project.ts).
    writeFileSync(join(dir, 'package.json'), '{}\n')
    writeFileSync(join(dir, 'a-file'), '')
    mkdirSync(join(dir, 'a-folder'))
  })

  afterAll(() => dispose?.())

  it.each([
    ['under a file', 'a-file/report.json', /`report` \("a-file\/report\.json"\) cannot be written: .*a-file is a file, not a folder/],
    ['a folder', 'a-folder', /`report` \("a-folder"\) cannot be written: .*a-folder is a folder/],
  ])('fails the build before it writes (%s)', async (_case, report, message) => {
    const out = join(dir, `out-${report.replace(/\W/g, '')}`)
    const esbuildFailure = await esbuild
      .build({ absWorkingDir: dir, stdin: { contents: "fetch('/api')", resolveDir: BROKEN_DIR }, bundle: true, outdir: out, logLevel: 'silent', plugins: [sentryEsbuild({ report })] })
      .then(() => undefined, (error: esbuild.BuildFailure) => error)
    expect(esbuildFailure?.errors[0]?.text).toMatch(message)
    expect(existsSync(out)).toBe(false)

    const input = join(dir, 'main.js')
    writeFileSync(input, "fetch('/api')\n")
    const cwd = process.cwd()
    process.chdir(dir)
    try {
      const rollupFailure = await rollup({ input, plugins: [sentryRollup({ report })] }).then(() => undefined, (error: Error & { pluginCode?: string }) => error)
      expect(rollupFailure?.message).toMatch(message)
      expect(rollupFailure?.pluginCode).toBe('SENTRY_TRACE_INVALID_OPTIONS')
    } finally {
      process.chdir(cwd)
    }

    const compiler = webpack({ mode: 'production', context: dir, entry: './main.js', output: { path: out }, infrastructureLogging: { level: 'none' }, plugins: [sentryWebpack({ report })] })
    const webpackFailure = await runWebpackLike(compiler as unknown as WebpackLikeCompiler, { info: [], warnings: [] }).then(() => undefined, (error: Error) => error)
    expect(webpackFailure?.message).toMatch(message)
    expect(existsSync(out)).toBe(false)
  })
})
