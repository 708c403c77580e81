/** Sentry SDK interop wiring: which SDK the plugin finds, and what the configured runtime then imports. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveOptions } from '../../src/options.js'
import { detectSentrySdk, runtimeModuleSource } from '../../plugin/virtual.js'

const base = mkdtempSync(join(tmpdir(), 'sentry-detect-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

function project(name: string, manifest: object): string {
  const dir = join(base, name)
  mkdirSync(join(dir, 'src', 'deep'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest))
  return dir
}

describe('detectSentrySdk', () => {
  it('finds the browser SDK in dependencies, from a folder below the package.json', () => {
    const dir = project('browser', { dependencies: { '@sentry/browser': '^11.0.0' } })
    expect(detectSentrySdk(join(dir, 'src', 'deep'))).toBe('@sentry/browser')
  })

  it('prefers the framework SDK the app initialises over @sentry/browser', () => {
    const dir = project('vue', { dependencies: { '@sentry/browser': '^11', '@sentry/vue': '^11' } })
    expect(detectSentrySdk(dir)).toBe('@sentry/vue')
  })

  it('reads devDependencies too, and ignores server-only SDKs', () => {
    expect(detectSentrySdk(project('dev', { devDependencies: { '@sentry/react': '^11' } }))).toBe('@sentry/react')
    expect(detectSentrySdk(project('node', { dependencies: { '@sentry/node': '^11' } }))).toBeUndefined()
  })

  it('stops at the nearest package.json', () => {
    const outer = project('outer', { dependencies: { '@sentry/browser': '^11' } })
    const inner = join(outer, 'packages', 'app')
    mkdirSync(inner, { recursive: true })
    writeFileSync(join(inner, 'package.json'), JSON.stringify({ dependencies: {} }))
    expect(detectSentrySdk(inner)).toBeUndefined()
  })
})

describe('configured runtime module', () => {
  const options = resolveOptions({ tracePropagationTargets: [/^\/api/] })

  it('connects the named SDK with named imports (tree-shakeable)', () => {
    const source = runtimeModuleSource(options, '@sentry/react')
    expect(source).toContain('import { getClient, getActiveSpan, startInactiveSpan, getTraceData, setHttpStatus } from "@sentry/react";')
    expect(source).toMatch(/import \{ connectSentry \} from ".*\/runtime\/sentry\.(js|ts)";/)
    expect(source).toContain('connectSentry({ getClient, getActiveSpan, startInactiveSpan, getTraceData, setHttpStatus });')
    expect(source).toContain('configure({ tracePropagationTargets: [/^\\/api/] });')
  })

  it('stays standalone without an SDK', () => {
    const source = runtimeModuleSource(options, undefined)
    expect(source).not.toContain('sentry.')
    expect(source).not.toContain('@sentry/')
    expect(source).toContain('pickUpMetaTags();')
  })
})
