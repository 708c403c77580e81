/**
 * The esbuild plugin loads script files itself (a synchronous read, then the
 * rewrite): what esbuild is told about each file must stay what the build asked for.
 */

import * as esbuild from 'esbuild'
import { readFile, writeFile } from 'node:fs/promises'
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
  await writeFile(join(dir, 'job.worker.js'), "fetch('/api/worker')\n")
  await writeFile(join(dir, 'worker-main.js'), "import source from './job.worker.js'\nexport const url = URL.createObjectURL(new Blob([source]))\n")
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

it('leaves a file alone that the build loads as something else than a script (longest matching suffix)', async () => {
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['worker-main.js'],
    bundle: true,
    write: false,
    format: 'esm',
    logLevel: 'silent',
    loader: { '.worker.js': 'text' },
    plugins: [sentryEsbuild({ tracePropagationTargets: [/^\/api/], sentry: false })],
  })
  const code = result.outputFiles[0]!.text
  expect(code).toContain('fetch(\'/api/worker\')\\n')
  expect(code).not.toMatch(/TracedFetch/)
})

it('reads modules another plugin put in its own namespace, when the path is a file (Yarn PnP)', async () => {
  const pnpLike: esbuild.Plugin = {
    name: 'pnp-like',
    setup(build) {
      build.onResolve({ filter: /^\.\/h\.js$/ }, (args) => ({ path: join(args.resolveDir, 'h.js'), namespace: 'pnp' }))
    },
  }
  await writeFile(join(dir, 'uses-h.js'), "import { h } from './h.js'\nexport const go = () => h(fetch('/api/pnp'))\n")
  await writeFile(join(dir, 'h.js'), "export const h = (x) => fetch('/api/in-pnp').then(() => x)\n")
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['uses-h.js'],
    bundle: true,
    write: false,
    format: 'esm',
    logLevel: 'silent',
    plugins: [sentryEsbuild({ tracePropagationTargets: [/^\/api/], sentry: false }), pnpLike],
  })
  const code = result.outputFiles[0]!.text
  expect(code).toMatch(/alwaysTracedFetch\("\/api\/in-pnp"\)/)
})

it('reports only what the latest rebuild saw (context().rebuild())', async () => {
  const report = join(dir, 'report.json')
  await writeFile(join(dir, 'watched-entry.js'), "export * from './watched.js'\n")
  await writeFile(join(dir, 'watched.js'), "export const a = () => fetch('/api/a')\nexport const b = () => fetch('/api/b')\n")
  const context = await esbuild.context({
    absWorkingDir: dir,
    entryPoints: ['watched-entry.js'],
    bundle: true,
    write: false,
    logLevel: 'silent',
    plugins: [sentryEsbuild({ tracePropagationTargets: [/^\/api/], sentry: false, report })],
  })
  try {
    await context.rebuild()
    const sites = async () => (JSON.parse(await readFile(report, 'utf8')) as { sites: unknown[] }).sites.length
    expect(await sites()).toBe(2)
    // No candidate name left: the module is not even parsed, so nothing records it.
    await writeFile(join(dir, 'watched.js'), 'export const a = () => 1\n')
    await context.rebuild()
    expect(await sites()).toBe(0)
  } finally {
    await context.dispose()
  }
})
