/**
 * Vite's dev server pre-bundles a CommonJS dependency (superagent) with the configured
 * runtime kept outside the pre-bundle. The dependency's `require` of the runtime must
 * not stay a `require` of an external module (which throws in the browser): it reaches
 * the one runtime module the page imports through a hoisted import.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { createServer, type ViteDevServer } from 'vite'
import sentryVite from '../../plugin/vite.js'
import { outputDir, REPO_ROOT } from './helpers/paths.js'

const RUNTIME_URL = '/@id/__x00__unplugin-sentry-trace/configured-runtime'

let vite: ViteDevServer | undefined
let dispose: (() => Promise<void>) | undefined

afterAll(async () => {
  await vite?.close()
  await dispose?.()
})

it('pre-bundles a CommonJS dependency that reaches the page runtime by import, not by an external require', async () => {
  const root = await outputDir('vite-dev-commonjs')
  dispose = root.dispose
  await writeFile(join(root.dir, 'index.html'), '<!doctype html><script type="module" src="/main.js"></script>\n')
  await writeFile(join(root.dir, 'main.js'), "import request from 'superagent'\nexport const get = () => request.get('/api/items')\n")
  vite = await createServer({
    root: root.dir,
    configFile: false,
    envDir: false,
    logLevel: 'silent',
    cacheDir: join(root.dir, '.vite'),
    plugins: [sentryVite({ tracePropagationTargets: [/^\/api/] })],
    resolve: { alias: { superagent: join(REPO_ROOT, 'node_modules/superagent') } },
    server: { host: '127.0.0.1', port: 0, strictPort: false, ws: false, fs: { allow: [REPO_ROOT] } },
  })
  await vite.listen()
  const origin = vite.resolvedUrls!.local[0]!.replace(/\/$/, '')
  const get = async (path: string): Promise<string> => (await fetch(origin + path, { signal: AbortSignal.timeout(30_000) })).text()
  const main = await get('/main.js')
  const dependency = /from\s+"([^"]*\/deps\/superagent\.js[^"]*)"/.exec(main)?.[1]
  expect(dependency, main).toBeDefined()
  const code = await get(dependency!)
  // superagent reaches XHR through its reassigned `let root`: checked at run time.
  expect(code).toMatch(/new \(\w*traceXhrIfGlobal\w*\(root\.XMLHttpRequest\)\)\(\)/)
  expect(code).toContain(`from "${RUNTIME_URL}"`)
  expect(code).not.toMatch(/require\(\s*"unplugin-sentry-trace\/configured-runtime"\s*\)/)
}, 120_000)
