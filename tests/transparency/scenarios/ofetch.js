// ofetch: `$fetch` and `ofetch`, over its `_globalThis.fetch`.
import { $fetch, ofetch } from 'ofetch'
import { observe, scenario } from './lib/transcript.js'

function failure(error) {
  return { name: error.name, message: error.message, status: error.status, data: error.data }
}

scenario(async () => {
  await observe('$fetch', () => $fetch('/api/ofetch/get', { query: { page: 1 } }))
  await observe('ofetch post', () => ofetch('/other/ofetch/post', { method: 'POST', body: { a: 1 } }))
  await observe('raw', async () => {
    const response = await ofetch.raw('/api/ofetch/raw', { headers: { 'X-Custom': 'of' } })
    return { status: response.status, data: response._data }
  })
  await observe('create', () => ofetch.create({ baseURL: '/api' })('/ofetch/base'))
  await observe('404', () => $fetch('/api/status/404').catch(failure))
})
