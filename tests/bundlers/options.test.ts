/**
 * Plugin options that change what a build covers or prints, on a fast real build (esbuild).
 */

import * as esbuild from 'esbuild'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import type { PluginOptions } from '../../plugin/options.js'
import type { Report } from '../../plugin/report.js'
import { PLUGIN_OPTIONS } from './helpers/builds.js'
import { FIXTURE_APP, outputDir } from './helpers/paths.js'
import { ensurePnpmStyleDependency } from './helpers/pnpm-layout.js'

describe('plugin options', () => {
  let outDir: string
  let dispose: (() => Promise<void>) | undefined

  beforeAll(async () => {
    await ensurePnpmStyleDependency()
    const out = await outputDir('options')
    outDir = out.dir
    dispose = out.dispose
  })

  afterEach(() => {
    vi.restoreAllMocks()
  })

  afterAll(() => dispose?.())

  async function build(options: PluginOptions): Promise<{ code: string; info: string[] }> {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined)
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const result = await esbuild.build({
      absWorkingDir: FIXTURE_APP,
      entryPoints: ['src/main.ts'],
      bundle: true,
      write: false,
      logLevel: 'info',
      plugins: [sentryEsbuild(options)],
    })
    return { code: result.outputFiles[0]!.text, info: info.mock.calls.map((call) => call.join(' ')) }
  }

  it('`exclude` leaves dependencies alone', async () => {
    const report = join(outDir, 'excluded.json')
    const { code } = await build({ ...PLUGIN_OPTIONS, exclude: [/\/node_modules\//], report })
    const { sites } = JSON.parse(await readFile(report, 'utf8')) as Report
    expect(sites.length).toBeGreaterThan(0)
    expect(sites.filter((site) => site.file.includes('node_modules'))).toEqual([])
    // ky reads `globalThis.fetch` as it was (esbuild may suffix its `options` when names collide).
    expect(code).toMatch(/fetch: options\d*\.fetch \?\? globalThis\.fetch\.bind\(globalThis\)/)
  })

  it('prints each rewritten call site with `debug`, and only then', async () => {
    const quiet = await build(PLUGIN_OPTIONS)
    expect(quiet.info.filter((line) => line.includes('probe.ts'))).toEqual([])
    const verbose = await build({ ...PLUGIN_OPTIONS, debug: true })
    expect(verbose.info.filter((line) => line.includes('src/probe.ts:2:47 fetch always /api/probe'))).toHaveLength(1)
  })
})
