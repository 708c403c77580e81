// SvelteKit's client: `native_fetch` is the page's fetch, a wrapper assigned to window.fetch
// calls it, and app code later calls the bare `fetch`.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

const native_fetch = window.fetch
const loading = new Set()

if (typeof window !== 'undefined') {
  window.fetch = (input, init) => {
    const method = input instanceof Request ? input.method : init?.method || 'GET'
    const url = input instanceof Request ? input.url : String(input)
    loading.add(`${method} ${new URL(url, location.href).pathname}`)
    return native_fetch(input, init)
  }
}

function initial_fetch(resource, opts) {
  return native_fetch(resource, opts)
}

async function load({ fetch }) {
  const response = await fetch('/api/sveltekit-native-fetch/load')
  return response.json()
}

scenario(async () => {
  note('wrapped', window.fetch !== native_fetch)
  await observe('initial_fetch', async () => responseOf(await initial_fetch('/api/sveltekit-native-fetch/initial', { method: 'POST', body: '{}' })))
  await observe('app fetch', async () => responseOf(await fetch('/api/sveltekit-native-fetch/app')))
  await observe('app fetch elsewhere', async () => responseOf(await fetch('/other/sveltekit-native-fetch/app')))
  await observe('load', () => load({ fetch }))
  await observe('Request', async () => responseOf(await fetch(new Request('/api/sveltekit-native-fetch/request', { method: 'PATCH', body: 'r' }))))
  note('seen by the wrapper', [...loading])
})
