/**
 * The fixture tree documents every rewrite rule: tests/fixtures/<group>/<case>/
 * holds `input.*`, optional `options.js` (default export: transform options,
 * plus `id` to override the module id), and the reviewed snapshots
 * `output.*` (text writer), `babel.*` (Babel plugin) and `sites.json`.
 */
import { transformSync } from '@babel/core'
import { parse } from '@babel/parser'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import babelPlugin from '../src/babel.js'
import { parserPluginsFor } from '../src/parse.js'
import { transform, type TransformOptions } from '../src/index.js'

const root = resolve(import.meta.dirname, 'fixtures')

interface FixtureCase {
  group: string
  name: string
  dir: string
  inputFile: string
}

function listCases(): FixtureCase[] {
  const cases: FixtureCase[] = []
  for (const group of readdirSync(root).sort()) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name)
      const inputFile = readdirSync(dir).find((file) => file.startsWith('input.'))
      if (!inputFile) throw new Error(`fixture ${group}/${name} has no input file`)
      cases.push({ group, name, dir, inputFile })
    }
  }
  return cases
}

async function loadOptions(dir: string): Promise<TransformOptions & { id?: string }> {
  const file = join(dir, 'options.js')
  if (!existsSync(file)) return {}
  return (await import(pathToFileURL(file).href)).default
}

function parses(code: string, id: string): void {
  parse(code, { sourceType: 'unambiguous', allowReturnOutsideFunction: true, plugins: parserPluginsFor(code, id) })
}

const cases = listCases()

it('has a fixture per rule (at least 40 cases)', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40)
})

for (const fixture of cases) {
  describe(`${fixture.group}/${fixture.name}`, () => {
    const extension = fixture.inputFile.slice('input'.length)
    const code = readFileSync(join(fixture.dir, fixture.inputFile), 'utf8')

    it('text writer output', async () => {
      const { id = fixture.inputFile, ...options } = await loadOptions(fixture.dir)
      const result = transform(code, id, options)
      const output = result ? result.code : `// transform() returned null: no candidate call site\n`
      await expect(output).toMatchFileSnapshot(join(fixture.dir, `output${extension}`))
      await expect(`${JSON.stringify(result?.sites ?? null, null, 2)}\n`).toMatchFileSnapshot(join(fixture.dir, 'sites.json'))
      if (!result) return
      parses(result.code, id)
      // Idempotent: a second pass finds nothing left to do.
      const again = transform(result.code, id, options)
      expect(again === null || again.code === result.code).toBe(true)
      // A file whose every site is `never` (and is no entry) is left byte-identical.
      if (!options.entry && result.sites.length > 0 && result.sites.every((site) => site.decision === 'never')) expect(result.code).toBe(code)
    })

    it('Babel plugin output, same sites', async () => {
      const { id = fixture.inputFile, entry, ...options } = await loadOptions(fixture.dir)
      const result = transformSync(code, {
        filename: resolve(fixture.dir, id),
        babelrc: false,
        configFile: false,
        sourceType: 'unambiguous',
        parserOpts: { plugins: parserPluginsFor(code, id), allowReturnOutsideFunction: true },
        plugins: [[babelPlugin, { ...options, entry: entry ?? false }]],
      })
      expect(result?.code).toBeTypeOf('string')
      await expect(`${result!.code}\n`).toMatchFileSnapshot(join(fixture.dir, `babel${extension}`))
      const text = transform(code, id, { ...options, entry })
      const metadata = (result!.metadata as unknown as { sentryTrace?: { sites: unknown[] } }).sentryTrace
      expect(metadata?.sites ?? []).toEqual(text?.sites ?? [])
      parses(result!.code!, id)
    })
  })
}
