// The whatwg-fetch polyfill: imported for its side effect (the page has fetch: it stays),
// and its own XHR-based `fetch` export called directly.
import 'whatwg-fetch'
import { fetch as polyfillFetch, Headers as PolyfillHeaders } from 'whatwg-fetch'
import { note, observe, scenario } from './lib/transcript.js'

async function outcome(response) {
  return { status: response.status, ok: response.ok, url: response.url, contentType: response.headers.get('content-type'), body: await response.text() }
}

scenario(async () => {
  note('global fetch is native', /\[native code\]/.test(Function.prototype.toString.call(window.fetch)))
  note('polyfill flag', [window.fetch.polyfill, polyfillFetch.polyfill])
  await observe('global fetch', async () => outcome(await fetch('/api/whatwg-fetch/global')))
  await observe('polyfill', async () => outcome(await polyfillFetch('/api/whatwg-fetch/polyfill', { headers: new PolyfillHeaders({ 'X-Custom': 'wf' }) })))
  await observe('polyfill elsewhere', async () => outcome(await polyfillFetch('/other/whatwg-fetch/polyfill', { method: 'POST', body: 'w' })))
  await observe('polyfill 404', async () => outcome(await polyfillFetch('/api/status/404')))
  await observe('polyfill refused', () => polyfillFetch('http://127.0.0.1:9/other/whatwg-fetch/refused'))
})
