/**
 * vite-plugin-pwa builds a service worker (`strategies: 'injectManifest'`) in a Vite
 * build of its own, with the plugins of `injectManifest.plugins` placed among that
 * build's Rollup-level plugins, after Vite's resolver: the rewritten worker imports the
 * configured runtime under this package's name, which Vite resolves through the
 * package's exports before the plugin can answer. The real vite-plugin-pwa, installed
 * from the app's own lock file, this package from its tarball, as a user has them.
 */

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import type { Report } from '../../plugin/report.js'
import { installApp, type InstalledApp } from './helpers/app.js'

const VITE = 'node_modules/vite/bin/vite.js'
let app: InstalledApp
let log: string

beforeAll(async () => {
  app = installApp('pwa', 20)
  log = await app.run(VITE, ['build'], { timeoutMs: 240_000 })
}, 600_000)

it('the service worker build with `injectManifest.plugins: [sentryTrace()]` succeeds, its requests rewritten with the configured options', () => {
  expect(log).not.toMatch(/is not exported|error/i)
  const sw = readFileSync(join(app.dir, 'dist/sw.js'), 'utf8')
  // The configured runtime (the options of that plugin line), not the package's default one.
  expect(sw).toContain('tracePropagationTargets:[/^\\/api/]')
  const report = JSON.parse(readFileSync(join(app.dir, 'sentry-trace-sw-report.json'), 'utf8')) as Report
  // Its own request, and workbox's (a dependency of the worker).
  const sites = report.sites.map(({ file, line, kind, decision }) => ({ file, line, kind, decision }))
  expect(sites).toEqual(expect.arrayContaining([{ file: 'src/sw.js', line: 5, kind: 'fetch', decision: 'always' }]))
  expect(sites.filter((site) => site.file.startsWith('node_modules/workbox-')).length).toBeGreaterThan(0)
})

it('the page build next to it is rewritten as before, with a report of its own', () => {
  expect(existsSync(join(app.dir, 'dist/index.html'))).toBe(true)
  const report = JSON.parse(readFileSync(join(app.dir, 'sentry-trace-report.json'), 'utf8')) as Report
  expect(report.sites.map(({ file, line, kind }) => ({ file, line, kind }))).toEqual([{ file: 'src/main.js', line: 1, kind: 'fetch' }])
})
