// @vitest-environment jsdom
/**
 * Where the browser has the Navigation API, the runtime takes the page URL from its
 * `currententrychange` events instead of reading `location.href` per request
 * (docs/trace-lifetime.md). jsdom has no Navigation API: here `navigation` is an
 * EventTarget the test fires as a browser does, within the history call that changes
 * the URL. Chromium, which has the API, runs the same rules against the Sentry SDK in
 * tests/e2e/trace-lifetime.test.ts.
 */
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest'
import type * as Runtime from '../../runtime/index.js'
import { startRecordServer, type RecordServer, setPageUrl } from '../helpers/record-server.js'

let server: RecordServer
let navigation: EventTarget

beforeAll(async () => {
  server = await startRecordServer()
  setPageUrl(`${server.url}page`)
})

afterAll(async () => {
  vi.unstubAllGlobals()
  await server.close()
})

beforeEach(() => {
  vi.resetModules()
  history.replaceState(null, '', '/page')
  navigation = new EventTarget()
  vi.stubGlobal('navigation', navigation)
})

/** `history.pushState` as a browser with the Navigation API runs it. */
function pushState(url: string, reported = true): void {
  history.pushState(null, '', url)
  if (reported) navigation.dispatchEvent(new Event('currententrychange'))
}

async function freshRuntime(): Promise<typeof Runtime> {
  const runtime = await import('../../runtime/index.js')
  // Only same-origin requests under /next/ get headers.
  runtime.configure({ tracePropagationTargets: [/^\/next\//] })
  runtime.pickUpMetaTags()
  return runtime
}

/** An XHR to `url` as written (jsdom resolves it against the page); the sentry-trace it carried. */
async function send(runtime: typeof Runtime, url: string): Promise<string | undefined> {
  server.requests.length = 0
  await new Promise((resolve) => {
    const xhr = new runtime.TracedXMLHttpRequest()
    xhr.open('GET', url)
    xhr.addEventListener('loadend', resolve)
    xhr.send()
  })
  return server.onlyRequest().headers['sentry-trace'] as string | undefined
}

it('a relative URL is matched against the page URL the last navigation reported, and the navigation starts a new trace', async () => {
  const runtime = await freshRuntime()
  expect(await send(runtime, 'api')).toBeUndefined()
  pushState('/next/page')
  const first = await send(runtime, 'api')
  expect(server.onlyRequest().url).toBe('/next/api')
  expect(first).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/)
  expect(await send(runtime, 'api')).toBe(first)
  pushState('/next/other')
  const second = await send(runtime, 'api')
  expect(second!.split('-')[0]).not.toBe(first!.split('-')[0])
})

it('the URL is not read per request: a change the API did not report goes unseen (a browser always reports one)', async () => {
  const runtime = await freshRuntime()
  pushState('/next/page')
  const before = await send(runtime, 'api')
  // Without the API the same change starts a new trace (tests/runtime/trace-lifetime.test.ts).
  pushState('/next/elsewhere', false)
  expect(await send(runtime, 'api')).toBe(before)
})
