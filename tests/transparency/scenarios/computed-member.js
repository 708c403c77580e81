// fetch and XMLHttpRequest reached through computed members of the global object.
import { finished, note, observe, responseOf, scenario } from './lib/transcript.js'

scenario(async () => {
  await observe('template key', async () => responseOf(await window[`fetch`]('/api/computed-member/template')))
  await observe('string key', async () => responseOf(await window['fetch']('/other/computed-member/string')))
  await observe('globalThis key', async () => responseOf(await globalThis['fetch']('/api/computed-member/global', { method: 'PUT', body: 'c' })))
  const key = ['fet', 'ch'].join('')
  await observe('dynamic key', async () => responseOf(await window[key]('/api/computed-member/dynamic')))
  const xhr = new window['XMLHttpRequest']()
  note('xhr constructor', xhr.constructor === XMLHttpRequest)
  xhr.open('POST', '/api/computed-member/xhr')
  const done = finished(xhr)
  xhr.send('x')
  note('xhr', await done)
})
