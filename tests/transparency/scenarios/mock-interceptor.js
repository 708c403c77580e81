// A test-style mock: installs its own fetch, answers some URLs itself, passes the rest
// through, checks it is installed by identity, and restores the original.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

function installMock() {
  const realFetch = window.fetch
  const handled = []
  const mock = async function mockedFetch(input, init) {
    const url = input instanceof Request ? input.url : String(input)
    if (url.includes('/mocked')) {
      handled.push(url.replace(location.origin, ''))
      return new Response(JSON.stringify({ mocked: true }), { status: 201, headers: { 'Content-Type': 'application/json' } })
    }
    return realFetch(input, init)
  }
  Object.defineProperty(window, 'fetch', { value: mock, writable: true, configurable: true })
  return {
    handled,
    installed: () => window.fetch === mock,
    restore() {
      window.fetch = realFetch
      return window.fetch === realFetch
    },
  }
}

scenario(async () => {
  const before = window.fetch
  const mock = installMock()
  note('installed', mock.installed())
  note('global changed', fetch !== before)
  await observe('mocked', async () => responseOf(await fetch('/api/mock-interceptor/mocked')))
  await observe('mocked through window', async () => responseOf(await window.fetch('/other/mock-interceptor/mocked')))
  await observe('passed through', async () => responseOf(await fetch('/api/mock-interceptor/real')))
  note('handled by the mock', mock.handled)
  note('restored', mock.restore())
  note('same as before', window.fetch === before && fetch === before)
  await observe('after restore', async () => responseOf(await fetch('/other/mock-interceptor/after')))
  await observe('after restore, matching', async () => responseOf(await fetch('/api/mock-interceptor/after')))
})
