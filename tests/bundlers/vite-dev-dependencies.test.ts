/**
 * Dependencies in Vite's dev server, both ways it serves them:
 * - pre-bundled: a CommonJS dependency (superagent), with the configured runtime kept
 *   outside the pre-bundle. Its `require` of the runtime must not stay a `require` of
 *   an external module (which throws in the browser): it reaches the one runtime
 *   module the page imports through a hoisted import;
 * - left out of pre-bundling (`optimizeDeps.exclude`, as SvelteKit does with its own
 *   client): served as `/node_modules/...js?v=<hash>`, rewritten all the same.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { createServer, type InlineConfig, type ViteDevServer } from 'vite'
import sentryVite from '../../plugin/vite.js'
import { outputDir, REPO_ROOT } from './helpers/paths.js'

const RUNTIME_URL = '/@id/__x00__unplugin-sentry-trace/configured-runtime'

const servers: ViteDevServer[] = []
const disposers: Array<() => Promise<void>> = []

afterAll(async () => {
  for (const server of servers) await server.close()
  for (const dispose of disposers) await dispose()
})

/** A dev server on a temporary app whose `main.js` imports one dependency from this repository's node_modules. */
async function startApp(name: string, dependency: string, main: string, extra: Partial<InlineConfig> = {}): Promise<{ get(path: string): Promise<string> }> {
  const root = await outputDir(name)
  disposers.push(root.dispose)
  await writeFile(join(root.dir, 'index.html'), '<!doctype html><script type="module" src="/main.js"></script>\n')
  await writeFile(join(root.dir, 'main.js'), main)
  const server = await createServer({
    root: root.dir,
    configFile: false,
    envDir: false,
    logLevel: 'silent',
    cacheDir: join(root.dir, '.vite'),
    plugins: [sentryVite({ tracePropagationTargets: [/^\/api/] })],
    resolve: { alias: { [dependency]: join(REPO_ROOT, 'node_modules', dependency) } },
    server: { host: '127.0.0.1', port: 0, strictPort: false, ws: false, fs: { allow: [REPO_ROOT] } },
    ...extra,
  })
  servers.push(server)
  await server.listen()
  const origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
  return { get: async (path) => (await fetch(origin + path, { signal: AbortSignal.timeout(30_000) })).text() }
}

it('pre-bundles a CommonJS dependency that reaches the page runtime by import, not by an external require', async () => {
  const { get } = await startApp('vite-dev-commonjs', 'superagent', "import request from 'superagent'\nexport const get = () => request.get('/api/items')\n")
  const main = await get('/main.js')
  const dependency = /from\s+"([^"]*\/deps\/superagent\.js[^"]*)"/.exec(main)?.[1]
  expect(dependency, main).toBeDefined()
  const code = await get(dependency!)
  // superagent reaches XHR through its reassigned `let root`: checked at run time.
  expect(code).toMatch(/new \(\w*traceXhrIfGlobal\w*\(root\.XMLHttpRequest\)\)\(\)/)
  expect(code).toContain(`from "${RUNTIME_URL}"`)
  expect(code).not.toMatch(/require\(\s*"unplugin-sentry-trace\/configured-runtime"\s*\)/)
}, 120_000)

it('rewrites a dependency left out of pre-bundling, served with a ?v= query', async () => {
  const { get } = await startApp('vite-dev-excluded', 'ky', "import ky from 'ky'\nexport const get = () => ky.get('/api/items')\n", { optimizeDeps: { exclude: ['ky'] } })
  const main = await get('/main.js')
  const entry = /from\s+"([^"]*ky[^"]*)"/.exec(main)?.[1]
  expect(entry, main).toBeDefined()
  // Follow ky's own imports to the module that calls fetch (core/Ky.js), with its ?v= query.
  const seen = new Set<string>()
  const queue = [entry!]
  let rewritten: string | undefined
  while (queue.length && seen.size < 40) {
    const url = queue.shift()!
    if (seen.has(url)) continue
    seen.add(url)
    const code = await get(url)
    if (/core\/Ky\.js/.test(url)) {
      rewritten = url
      expect(url).toMatch(/\?v=/)
      expect(code).toMatch(/traceFetch(?:Function|On|IfGlobal)/)
      expect(code).toContain(RUNTIME_URL)
      break
    }
    for (const match of code.matchAll(/(?:from|import)\s*"([^"]+)"/g)) if (match[1]!.includes('/ky/')) queue.push(match[1]!)
  }
  expect(rewritten, `ky's core module among ${[...seen].join(', ')}`).toBeDefined()
}, 120_000)
