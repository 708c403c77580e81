/**
 * Under Angular's esbuild-based application builder the plugin can reach no
 * script (Angular's compiler plugin loads them all first) and Angular silences
 * esbuild's log: the plugin says so on the console all the same. Angular's
 * plugin is stood in for by one of its name that loads every script.
 */
import * as esbuild from 'esbuild'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import { outputDir } from './helpers/paths.js'

let dir: string
let dispose: (() => Promise<void>) | undefined

beforeAll(async () => {
  const out = await outputDir('esbuild-angular')
  dir = out.dir
  dispose = out.dispose
  await writeFile(join(dir, 'main.js'), "fetch('/api/items')\n")
})

afterAll(() => dispose?.())

const loadsEverything = (name: string): esbuild.Plugin => ({
  name,
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'js' }))
  },
})

async function warnings(first: esbuild.Plugin): Promise<{ warned: string[]; code: string }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  try {
    const result = await esbuild.build({ absWorkingDir: dir, entryPoints: ['main.js'], bundle: true, write: false, logLevel: 'silent', plugins: [first, sentryEsbuild({ sentry: false })] })
    return { warned: warn.mock.calls.map((call) => String(call[0])), code: result.outputFiles[0]!.text }
  } finally {
    warn.mockRestore()
  }
}

it("after Angular's compiler plugin, says on the console that nothing will be rewritten, although the log is silenced", async () => {
  const { warned, code } = await warnings(loadsEverything('angular-compiler'))
  expect(code).toContain('fetch("/api/items")')
  expect(warned).toEqual([expect.stringMatching(/^\[unplugin-sentry-trace\] runs after Angular's compiler plugin, .*unplugin-sentry-trace\/angular/)])
})

it('after another plugin, a silenced log stays silent', async () => {
  const { warned } = await warnings(loadsEverything('loads-everything'))
  expect(warned).toEqual([])
})
