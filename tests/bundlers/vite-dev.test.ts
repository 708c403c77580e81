/**
 * Vite's dev server: no `isEntry`, and dependencies pre-bundled by Rolldown without
 * the app's `transform` hooks. The page gets the configured runtime from the HTML,
 * app modules and pre-bundled dependencies import the same runtime module, and
 * changed options rebuild the pre-bundle cache.
 */

import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type ViteDevServer } from 'vite'
import sentryVite from '../../plugin/vite.js'
import type { PluginOptions } from '../../plugin/options.js'
import { PLUGIN_OPTIONS } from './helpers/builds.js'
import { CONFIGURE_ARGUMENT } from './helpers/expectations.js'
import { FIXTURE_APP, outputDir, REPO_ROOT } from './helpers/paths.js'
import { ensurePnpmStyleDependency } from './helpers/pnpm-layout.js'

const RUNTIME_URL = '/@id/__x00__unplugin-sentry-trace/configured-runtime'

interface DevServer {
  vite: ViteDevServer
  get(path: string): Promise<string>
}

async function startDevServer(cacheDir: string, options: PluginOptions): Promise<DevServer> {
  const vite = await createServer({
    root: FIXTURE_APP,
    configFile: false,
    envDir: false,
    logLevel: 'silent',
    cacheDir,
    plugins: [sentryVite(options)],
    // The runtime is served from this repository's sources, outside the fixture app.
    server: { host: '127.0.0.1', port: 0, strictPort: false, ws: false, fs: { allow: [REPO_ROOT] } },
  })
  await vite.listen()
  const origin = vite.resolvedUrls?.local[0]?.replace(/\/$/, '')
  if (!origin) throw new Error('the dev server has no local URL')
  return {
    vite,
    async get(path) {
      const response = await fetch(origin + path, { signal: AbortSignal.timeout(30_000) })
      expect(response.status, path).toBe(200)
      return response.text()
    },
  }
}

/** The URL a served module imports `specifier` from (Vite rewrites bare imports). */
function importUrl(code: string, pattern: RegExp): string {
  const url = new RegExp(`from\\s+"([^"]*${pattern.source}[^"]*)"`).exec(code)?.[1]
  expect(url, `an import matching ${pattern} in:\n${code.slice(0, 2000)}`).toBeDefined()
  return url!
}

describe('vite dev server', () => {
  let cacheDir: string
  let disposeCache: (() => Promise<void>) | undefined
  let server: DevServer | undefined

  beforeAll(async () => {
    await ensurePnpmStyleDependency()
    const out = await outputDir('vite-dev')
    cacheDir = join(out.dir, 'cache')
    disposeCache = out.dispose
    server = await startDevServer(cacheDir, PLUGIN_OPTIONS)
  })

  afterAll(async () => {
    await server?.vite.close()
    await disposeCache?.()
  })

  it('serves the configured runtime from the HTML, in a module script ahead of the app', async () => {
    const html = await server!.get('/')
    const scripts = [...html.matchAll(/<script type="module"[^>]*src="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'))
    const app = scripts.indexOf('/src/main.ts')
    expect(app).toBeGreaterThan(0)
    // Vite serves the injected inline script as an HTML proxy module; it comes first.
    const injected = scripts.slice(0, app).find((src) => src.includes('html-proxy'))
    expect(injected).toBeDefined()
    expect(await server!.get(injected!)).toContain(`import "${RUNTIME_URL}"`)

    const runtime = await server!.get(RUNTIME_URL)
    expect(runtime.replace(/\s+/g, ' ')).toContain(`configure(${CONFIGURE_ARGUMENT})`)
    expect(runtime).toContain('pickUpMetaTags()')
    expect(runtime).toMatch(/from "\/@fs\/[^"]*\/runtime\/index\.[jt]s"/)
  })

  it('rewrites the app modules to import the same runtime module', async () => {
    const probe = await server!.get('/src/probe.ts')
    expect(importUrl(probe, /configured-runtime/)).toBe(RUNTIME_URL)
    expect(probe).toContain('alwaysTracedFetch')
  })

  it('rewrites pre-bundled dependencies, which import the one runtime module too', async () => {
    const dependencies = await server!.get('/src/dependencies.ts')
    for (const name of [/\/ky\.js/, /\/fixture-dep\.js/]) {
      const url = importUrl(dependencies, name)
      expect(url, 'served from the pre-bundle').toContain('/cache/deps/')
      const code = await server!.get(url)
      expect(code).toMatch(/traced?Fetch/i)
      expect(importUrl(code, /configured-runtime/)).toBe(RUNTIME_URL)
    }
  })

  it('leaves modules transformed for SSR alone', async () => {
    const ssr = await server!.vite.environments.ssr!.transformRequest('/src/probe.ts')
    expect(ssr?.code).toBeDefined()
    expect(ssr!.code).not.toMatch(/traced?Fetch/i)
    expect(ssr!.code).not.toContain('configured-runtime')
  })

  it('rebuilds the pre-bundle when the options change', async () => {
    await server!.vite.close()
    // Same cache folder, new options: `[]` never traces, so nothing is rewritten any more.
    server = await startDevServer(cacheDir, { tracePropagationTargets: [] })
    const dependencies = await server.get('/src/dependencies.ts')
    const ky = await server.get(importUrl(dependencies, /\/ky\.js/))
    expect(ky).not.toMatch(/traced?Fetch/i)
    expect(ky).not.toContain('configured-runtime')
    const runtime = await server.get(RUNTIME_URL)
    expect(runtime).toContain('configure({ tracePropagationTargets: [] })')
  })
})
