/**
 * The report belongs to the project, not to the folder a framework points the
 * bundler at: Nuxt makes `app/` Vite's root, others `src/` or `web/`. A relative
 * `report` lands in the nearest folder at or above the bundler's root with a
 * `package.json`, and the files it lists are relative to that folder. A Vite build
 * of a client and a server environment with one plugin (what Nuxt and other SSR
 * frameworks run) reports the client's sites only, whichever environment is built first,
 * or both at once.
 */
import * as esbuild from 'esbuild'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createBuilder } from 'vite'
import webpack from 'webpack'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sentryEsbuild from '../../plugin/esbuild.js'
import type { Report } from '../../plugin/report.js'
import sentryVite from '../../plugin/vite.js'
import sentryWebpack from '../../plugin/webpack.js'
import { PLUGIN_OPTIONS, runWebpackLike, TS_EXTENSION_ALIAS, WEBPACK_TYPESCRIPT, type WebpackLikeCompiler } from './helpers/builds.js'
import { outputDir } from './helpers/paths.js'

const REPORT = 'sentry-trace-report.json'
const OPTIONS = { ...PLUGIN_OPTIONS, report: REPORT }

let dispose: (() => Promise<void>) | undefined
let base: string

beforeAll(async () => {
  const out = await outputDir('report-root')
  base = out.dir
  dispose = out.dispose
})

afterAll(() => dispose?.())

/** A project (its package.json) whose sources the bundler is pointed at, in `web/`. */
async function project(name: string): Promise<{ dir: string; web: string }> {
  const dir = join(base, name)
  const web = join(dir, 'web')
  await mkdir(web, { recursive: true })
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' })}\n`)
  await writeFile(join(web, 'index.html'), '<!doctype html><html><head></head><body><script type="module" src="./main.js"></script></body></html>\n')
  await writeFile(join(web, 'main.js'), "fetch('/api/client').then((response) => response.status)\n")
  await writeFile(join(web, 'server.js'), "export const load = () => fetch('/api/server')\n")
  return { dir, web }
}

async function readReport(dir: string): Promise<Report> {
  return JSON.parse(await readFile(join(dir, REPORT), 'utf8')) as Report
}

const sitesOf = (report: Report) => report.sites.map(({ file, url }) => ({ file, url }))

describe('a bundler rooted in a folder of the project', () => {
  it('esbuild (absWorkingDir): the report is at the project root, its files relative to it', async () => {
    const { dir, web } = await project('esbuild')
    await esbuild.build({ absWorkingDir: web, entryPoints: ['main.js'], bundle: true, outdir: join(dir, 'out'), logLevel: 'silent', plugins: [sentryEsbuild(OPTIONS)] })
    expect(existsSync(join(web, REPORT))).toBe(false)
    expect(sitesOf(await readReport(dir))).toEqual([{ file: 'web/main.js', url: '/api/client' }])
  })

  it('webpack (context): the report is at the project root, its files relative to it', async () => {
    const { dir, web } = await project('webpack')
    const compiler = webpack({ mode: 'production', context: web, entry: './main.js', output: { path: join(dir, 'out') }, module: { rules: [WEBPACK_TYPESCRIPT] }, resolve: { extensionAlias: TS_EXTENSION_ALIAS }, infrastructureLogging: { level: 'none' }, plugins: [sentryWebpack(OPTIONS)] })
    await runWebpackLike(compiler as unknown as WebpackLikeCompiler, { info: [], warnings: [] })
    expect(existsSync(join(web, REPORT))).toBe(false)
    expect(sitesOf(await readReport(dir))).toEqual([{ file: 'web/main.js', url: '/api/client' }])
  })

  it.each([
    ['client first', ['client', 'ssr'], false],
    ['server first', ['ssr', 'client'], false],
    ['both at once', ['client', 'ssr'], true],
  ])('Vite (root), a client and a server environment, %s: the client sites, at the project root', async (_order, order, together) => {
    const { dir, web } = await project(`vite-${order[0]}-${together}`)
    const builder = await createBuilder({
      root: web,
      configFile: false,
      envDir: false,
      logLevel: 'silent',
      plugins: [sentryVite(OPTIONS)],
      environments: {
        client: { build: { outDir: join(dir, 'out/client'), emptyOutDir: true } },
        ssr: { build: { outDir: join(dir, 'out/server'), emptyOutDir: true, ssr: join(web, 'server.js') } },
      },
      builder: {
        async buildApp(builder) {
          if (together) await Promise.all(order.map((name) => builder.build(builder.environments[name]!)))
          else for (const name of order) await builder.build(builder.environments[name]!)
        },
      },
    })
    await builder.buildApp()
    // The server build is there, its call left as written.
    const server = await readFile(join(dir, 'out/server/server.js'), 'utf8')
    expect(server).toContain('fetch("/api/server")')
    expect(server).not.toContain('unplugin-sentry-trace')
    expect(existsSync(join(web, REPORT))).toBe(false)
    expect(sitesOf(await readReport(dir))).toEqual([{ file: 'web/main.js', url: '/api/client' }])
  })
})
