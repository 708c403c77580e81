/**
 * The runtime next to the browser's own fetch, in real Chromium: where fetch refuses
 * a call (a wrong `this`, arguments it cannot convert), ours must refuse it the same
 * way (a rejection, not a throw; same error type and message); where it accepts one,
 * ours adds trace headers. The page is served from the recording server, so relative
 * URLs are same-origin and match the default rule.
 */
import * as esbuild from 'esbuild'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import { recordServerForFile } from '../helpers/record-server.js'

const server = recordServerForFile()
let browser: Browser
let page: Page

type Runtime = typeof import('../../runtime/index.js')
type Outcome = { kind: 'throw' | 'reject'; name: string; message: string } | { kind: 'resolve'; status: number }

declare global {
  interface Window {
    runtime: Runtime
    outcome(call: () => unknown): Promise<Outcome>
  }
}

beforeAll(async () => {
  const { outputFiles } = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('../../runtime/index.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'runtime',
    platform: 'browser',
  })
  browser = await launchBrowser({})
  page = await browser.newPage()
  await page.goto(`${server.url}page`)
  await page.addScriptTag({ content: outputFiles[0]!.text })
  await page.evaluate(() => {
    window.outcome = async (call) => {
      let promise: unknown
      try {
        promise = call()
      } catch (error) {
        return { kind: 'throw', name: (error as Error).name, message: (error as Error).message }
      }
      try {
        return { kind: 'resolve', status: ((await promise) as Response).status }
      } catch (error) {
        return { kind: 'reject', name: (error as Error).name, message: (error as Error).message }
      }
    }
  })
})

afterAll(async () => {
  await browser?.close()
})

/** fetch's outcome, then ours through each way the runtime calls fetch, for the same call. */
async function sideBySide(call: string): Promise<Outcome[]> {
  return page.evaluate(
    (call) => {
      const { runtime, outcome } = window
      const run = new Function('fetch', `return ${call}`) as (fetch: typeof window.fetch) => unknown
      return Promise.all([
        outcome(() => run(window.fetch)),
        outcome(() => run(runtime.tracedFetch)),
        outcome(() => run(runtime.alwaysTracedFetch)),
        outcome(() => run(runtime.traceFetchFunction(window.fetch))),
      ])
    },
    call,
  )
}

describe('where fetch refuses the call, ours refuses it the same way', () => {
  it.each([
    ['another this', "fetch.call({}, '/this')"],
    ['another this, with an init', "fetch.call({}, '/this', { method: 'POST' })"],
    ['no arguments', 'fetch()'],
    ['headers: null', "fetch('/null', { headers: null })"],
    ['headers: a string', "fetch('/string', { headers: 'x-a: 1' })"],
    ['headers: a number', "fetch('/number', { headers: 5 })"],
    ['headers: a pair of three', "fetch('/three', { headers: [['x-a', '1', '2']] })"],
    ['headers: a string where a pair goes', "fetch('/not-pair', { headers: ['ab'] })"],
    ['init: a number', "fetch('/init', 5)"],
    ['input: a Symbol', 'fetch(Symbol())'],
    ['input: a toString that throws', "fetch({ toString() { throw new TypeError('no string') } })"],
  ])('%s', async (_name, call) => {
    server.requests.length = 0
    const [native, ...ours] = await sideBySide(call)
    expect(native!.kind).toBe('reject')
    expect(native).toMatchObject({ name: 'TypeError' })
    for (const outcome of ours) expect(outcome).toEqual(native)
    expect(server.received()).toHaveLength(0)
  })
})

describe('where fetch accepts the call, ours adds trace headers', () => {
  it.each([
    ['the window as this', "fetch.call(window, '/window-this')", '/window-this'],
    ['headers from another realm', "fetch('/realm', { headers: new (document.body.appendChild(document.createElement('iframe')).contentWindow.Headers)({ 'x-custom': 'kept' }) })", '/realm'],
    ['an object input with toString', "fetch({ toString: () => '/to-string' })", '/to-string'],
    ['init: null', "fetch('/init-null', null)", '/init-null'],
  ])('%s', async (_name, call, path) => {
    server.requests.length = 0
    const [native, ...ours] = await sideBySide(call)
    expect(native).toEqual({ kind: 'resolve', status: 200 })
    for (const outcome of ours) expect(outcome).toEqual(native)
    const received = server.received()
    expect(received.map((request) => request.url)).toEqual([path, path, path, path])
    expect(received.map((request) => typeof request.headers['sentry-trace'])).toEqual(['undefined', 'string', 'string', 'string'])
    if (path === '/realm') expect(received.every((request) => request.headers['x-custom'] === 'kept')).toBe(true)
  })
})

describe('fetch as a value', () => {
  it('the traced fetch looks native to a toString test, has fetch name and length, and no prototype', async () => {
    const seen = await page.evaluate(() => {
      const traced = window.runtime.traceFetchFunction(window.fetch)
      // The Sentry SDK's isNativeFunction (@sentry/core, utils/supports).
      const sentryNative = /^function\s+\w+\(\)\s+\{\s+\[native code\]\s+\}$/
      return {
        toString: traced.toString(),
        sentryNative: sentryNative.test(traced.toString()),
        name: traced.name,
        length: traced.length,
        prototype: 'prototype' in traced,
        construct: (() => {
          try {
            new (traced as unknown as new () => unknown)()
            return 'constructed'
          } catch (error) {
            return (error as Error).name
          }
        })(),
      }
    })
    expect(seen).toEqual({
      toString: 'function fetch() { [native code] }',
      sentryNative: true,
      name: 'fetch',
      length: 1,
      prototype: false,
      construct: 'TypeError',
    })
  })

  it('an app that saves fetch and installs a wrapper calling it (SvelteKit): no recursion, headers once', async () => {
    server.requests.length = 0
    const seen = await page.evaluate(async () => {
      const { runtime } = window
      const native = window.fetch
      // As rewritten: const original = window.fetch; window.fetch = (...args) => original(...args); fetch('/svelte')
      const original = runtime.traceFetchFunction(window.fetch)
      let wrapperCalls = 0
      window.fetch = runtime.untraceFetchFunction((...args: Parameters<typeof fetch>) => {
        wrapperCalls++
        return original(...args)
      })
      const status = (await runtime.tracedFetch('/svelte')).status
      window.fetch = runtime.untraceFetchFunction(original)
      return { status, wrapperCalls, restored: window.fetch === native, same: runtime.traceFetchFunction(native) === original }
    })
    expect(seen).toEqual({ status: 200, wrapperCalls: 1, restored: true, same: true })
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
  })

  it('traceFetchOn(window).fetch calls the window fetch with headers; another object is left alone', async () => {
    server.requests.length = 0
    const seen = await page.evaluate(async () => {
      const { runtime } = window
      const other = { fetch: () => 'own' }
      return {
        status: (await runtime.traceFetchOn(window).fetch('/on-window')).status,
        other: runtime.traceFetchOn(other) === other,
        ifGlobal: runtime.traceFetchIfGlobal(window.fetch) === runtime.traceFetchFunction(window.fetch),
      }
    })
    expect(seen).toEqual({ status: 200, other: true, ifGlobal: true })
    expect(server.onlyRequest().headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
  })
})
