/**
 * The esbuild plugin loads script files itself (a synchronous read, then the
 * rewrite): what esbuild is told about each file must stay what the build asked for.
 */

import * as esbuild from 'esbuild'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import { outputDir } from './helpers/paths.js'

let dir: string
let dispose: (() => Promise<void>) | undefined

beforeAll(async () => {
  const out = await outputDir('esbuild-load')
  dir = out.dir
  dispose = out.dispose
  await writeFile(join(dir, 'h.js'), 'export const h = (tag, props, ...children) => ({ tag, props, children })\n')
  await writeFile(
    join(dir, 'main.js'),
    "import { h } from './h.js'\nimport raw from './raw.js' with { type: 'text' }\nexport const view = () => <button onClick={() => fetch('/api/click')}>{raw}</button>\n",
  )
  await writeFile(join(dir, 'raw.js'), "fetch('/api/not-code')\n")
})

afterAll(() => dispose?.())

it("keeps the build's own loader for an extension (JSX in .js) and leaves imports with attributes to esbuild", async () => {
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['main.js'],
    bundle: true,
    write: false,
    format: 'esm',
    logLevel: 'silent',
    loader: { '.js': 'jsx' },
    jsxFactory: 'h',
    plugins: [sentryEsbuild({ tracePropagationTargets: [/^\/api/], sentry: false })],
  })
  const code = result.outputFiles[0]!.text
  // The JSX file was rewritten and still compiled as JSX.
  expect(code).toMatch(/alwaysTracedFetch\("\/api\/click"\)/)
  expect(code).toMatch(/h\(\s*"button"/)
  // The text import is the file's text, untouched.
  expect(code).toContain('fetch(\'/api/not-code\')\\n')
})
