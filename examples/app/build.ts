/**
 * Builds the example app with the real bundler plugins: Vite (both pages, from
 * `vite.config.ts`) into `outDir`, and esbuild into `outDir/esbuild`, with the same
 * plugin options. The backend serves `outDir` as it is.
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import sentryTraceEsbuild from 'unplugin-sentry-trace/esbuild'
import { build as viteBuild } from 'vite'
import { traceOptions } from './trace-options.js'

const root = fileURLToPath(new URL('.', import.meta.url))

/** The pages, each with its entry module. */
export const PAGES = { index: 'main', sentry: 'main-sentry' } as const

export async function buildWithVite(outDir: string): Promise<void> {
  await viteBuild({
    configFile: join(root, 'vite.config.ts'),
    build: { outDir: resolve(outDir), emptyOutDir: true },
  })
}

/** esbuild has no HTML entry: the pages are copied with their script pointed at the bundle. */
export async function buildWithEsbuild(outDir: string): Promise<void> {
  const out = resolve(outDir)
  await mkdir(out, { recursive: true })
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.values(PAGES).map((entry) => `src/${entry}.ts`),
    outdir: out,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
    plugins: [sentryTraceEsbuild(traceOptions)],
  })
  for (const [page, entry] of Object.entries(PAGES)) {
    const html = await readFile(join(root, `${page}.html`), 'utf8')
    await writeFile(join(out, `${page}.html`), html.replace(`/src/${entry}.ts`, `./${entry}.js`))
  }
}

/** Both builds: Vite's at the root of `outDir`, esbuild's under `outDir/esbuild`. */
export async function buildExample(outDir: string): Promise<void> {
  const out = resolve(outDir)
  await buildWithVite(out)
  await buildWithEsbuild(join(out, 'esbuild'))
}
