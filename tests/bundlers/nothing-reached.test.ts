/**
 * A build the plugin never ran on says so: another plugin loading every file first
 * (esbuild takes the first onLoad that answers, as Angular's builder does), or an
 * `exclude` that leaves nothing. A build it ran on does not.
 */
import * as esbuild from 'esbuild'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { rollup } from 'rollup'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import sentryRollup from '../../plugin/rollup.js'
import { typescriptForRollup } from './helpers/builds.js'
import { outputDir } from './helpers/paths.js'

let dir: string
let dispose: (() => Promise<void>) | undefined

beforeAll(async () => {
  const out = await outputDir('nothing-reached')
  dir = out.dir
  dispose = out.dispose
  await writeFile(join(dir, 'main.js'), "fetch('/api/items')\n")
})

afterAll(() => dispose?.())

/** A plugin that loads every script itself, ahead of ours. */
const loadsEverything: esbuild.Plugin = {
  name: 'loads-everything',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => ({ contents: await import('node:fs/promises').then((fs) => fs.readFile(args.path, 'utf8')), loader: 'js' }))
  },
}

const esbuildWarnings = async (plugins: esbuild.Plugin[]): Promise<string[]> => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  try {
    await esbuild.build({ absWorkingDir: dir, entryPoints: ['main.js'], bundle: true, write: false, logLevel: 'warning', plugins })
    return warn.mock.calls.map((call) => String(call[0]))
  } finally {
    warn.mockRestore()
  }
}

it('warns when another esbuild plugin loads every file before it', async () => {
  expect((await esbuildWarnings([loadsEverything, sentryEsbuild()])).filter((line) => line.includes('reached no module'))).toHaveLength(1)
  expect((await esbuildWarnings([sentryEsbuild()])).filter((line) => line.includes('reached no module'))).toEqual([])
})

it('warns when exclude leaves it nothing (Rollup)', async () => {
  const warnings = async (options: Parameters<typeof sentryRollup>[0]) => {
    const seen: string[] = []
    const bundle = await rollup({ input: join(dir, 'main.js'), plugins: [sentryRollup(options), typescriptForRollup()], onLog: (_level, log) => void seen.push(log.message) })
    await bundle.close()
    return seen.filter((message) => message.includes('reached no module'))
  }
  expect(await warnings({ exclude: [/.*/] })).toHaveLength(1)
  expect(await warnings({})).toEqual([])
})
