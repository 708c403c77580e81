/**
 * What Vite's dev server serves from its pre-bundle (`<cacheDir>/deps/*.js?v=<hash>`)
 * was rewritten, file by file, while it was bundled, or deliberately left alone:
 * the main hook does not take the bundled chunk again. Taken again, the chunk
 * would be judged under its own name, which neither the Sentry SDK's own files
 * nor an `exclude` of a dependency matches: the SDK's envelope requests would be
 * traced in dev, and an excluded dependency rewritten in dev but not in build.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { createServer, type ViteDevServer } from 'vite'
import sentryVite from '../../plugin/vite.js'
import { outputDir, REPO_ROOT } from './helpers/paths.js'

const DEPENDENCIES = ['@sentry/browser', 'ky', 'ofetch']

let server: ViteDevServer | undefined
let dispose: (() => Promise<void>) | undefined

afterAll(async () => {
  await server?.close()
  await dispose?.()
})

it('serves the Sentry SDK and an excluded dependency as bundled, untouched; other dependencies rewritten', async () => {
  const root = await outputDir('vite-dev-prebundle')
  dispose = root.dispose
  await writeFile(join(root.dir, 'index.html'), '<!doctype html><script type="module" src="/main.js"></script>\n')
  await writeFile(join(root.dir, 'main.js'), `${DEPENDENCIES.map((name, index) => `import * as dependency${index} from '${name}'`).join('\n')}\nexport default [${DEPENDENCIES.map((_, index) => `dependency${index}`).join(', ')}]\n`)
  server = await createServer({
    root: root.dir,
    configFile: false,
    envDir: false,
    logLevel: 'silent',
    cacheDir: join(root.dir, '.vite'),
    plugins: [sentryVite({ tracePropagationTargets: [/^\/api/], exclude: [/[\\/]node_modules[\\/]ky[\\/]/], sentry: false })],
    resolve: { alias: Object.fromEntries(DEPENDENCIES.map((name) => [name, join(REPO_ROOT, 'node_modules', name)])) },
    server: { host: '127.0.0.1', port: 0, strictPort: false, ws: false, fs: { allow: [REPO_ROOT] } },
  })
  await server.listen()
  const origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '')
  const get = async (path: string) => (await fetch(origin + path, { signal: AbortSignal.timeout(60_000) })).text()
  const main = await get('/main.js')
  const served = async (name: string) => {
    const chunk = new RegExp(`from\\s+"([^"]*/deps/${name.replace('/', '_')}\\.js[^"]*)"`).exec(main)?.[1]
    expect(chunk, `${name} in ${main}`).toBeDefined()
    return get(chunk!)
  }
  const sdk = await served('@sentry/browser')
  // The SDK's transport, as it wrote it: the native fetch.
  expect(sdk).toContain('fetch')
  expect(sdk).not.toContain('configured-runtime')
  expect(sdk).not.toContain('__sentryTrace_')
  const excluded = await served('ky')
  expect(excluded).toContain('globalThis.fetch')
  expect(excluded).not.toContain('configured-runtime')
  const rewritten = await served('ofetch')
  expect(rewritten).toContain('configured-runtime')
  // The pre-bundle keeps the runtime's own names for its helpers.
  expect(rewritten).toMatch(/\btrace(?:d?Fetch|Xhr)\w*\(/)
}, 120_000)
