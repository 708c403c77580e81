/**
 * Entry points in the shapes the suite does not build: esbuild's array forms, and a
 * Vite build whose input is a script rather than the HTML. (The suite covers the
 * HTML entry, esbuild's object form, and webpack/Rspack with two entries.)
 */

import * as esbuild from 'esbuild'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { build as viteBuild } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import sentryVite from '../../plugin/vite.js'
import { PLUGIN_OPTIONS } from './helpers/builds.js'
import { expectRuntimeFirst } from './helpers/expectations.js'
import { FIXTURE_APP, outputDir } from './helpers/paths.js'
import { ensurePnpmStyleDependency } from './helpers/pnpm-layout.js'

describe('entry injection', () => {
  let outDir: string
  let dispose: (() => Promise<void>) | undefined

  beforeAll(async () => {
    await ensurePnpmStyleDependency()
    const out = await outputDir('entries')
    outDir = out.dir
    dispose = out.dispose
  })

  afterAll(() => dispose?.())

  async function esbuildOutputs(entryPoints: esbuild.BuildOptions['entryPoints']): Promise<Map<string, string>> {
    const result = await esbuild.build({
      absWorkingDir: FIXTURE_APP,
      entryPoints,
      bundle: true,
      format: 'iife',
      outdir: join(outDir, 'esbuild'),
      write: false,
      logLevel: 'silent',
      plugins: [sentryEsbuild(PLUGIN_OPTIONS)],
    })
    return new Map(result.outputFiles.map((file) => [file.path.slice(file.path.lastIndexOf('/') + 1), file.text]))
  }

  it('covers esbuild entry points given as an array of paths', async () => {
    const outputs = await esbuildOutputs(['src/main.ts', './src/second-entry.ts'])
    expectRuntimeFirst(outputs.get('main.js')!, { ordered: true })
    expectRuntimeFirst(outputs.get('second-entry.js')!, { ordered: true })
  })

  it('covers esbuild entry points given as `{ in, out }`, extensionless', async () => {
    const outputs = await esbuildOutputs([{ in: './src/second-entry', out: 'other' }])
    expectRuntimeFirst(outputs.get('other.js')!, { ordered: true })
  })

  it('covers a Vite build whose entry is a script', async () => {
    await viteBuild({
      root: FIXTURE_APP,
      configFile: false,
      envDir: false,
      logLevel: 'silent',
      plugins: [sentryVite(PLUGIN_OPTIONS)],
      build: {
        outDir: join(outDir, 'vite'),
        emptyOutDir: true,
        minify: false,
        rolldownOptions: { input: join(FIXTURE_APP, 'src/main.ts'), output: { entryFileNames: '[name].js' } },
      },
    })
    expectRuntimeFirst(await readFile(join(outDir, 'vite/main.js'), 'utf8'), { ordered: true })
  })
})
