// fetch and XMLHttpRequest taken out of the global object by destructuring.
import { finished, note, observe, responseOf, scenario } from './lib/transcript.js'

const { fetch } = window
const { fetch: globalFetch, XMLHttpRequest: Xhr } = globalThis
let { fetch: selfFetch = null } = self

function useClient({ fetch }) {
  return fetch('/api/destructure/parameter')
}

scenario(async () => {
  note('same functions', fetch === window.fetch && globalFetch === fetch && selfFetch === fetch)
  await observe('window', async () => responseOf(await fetch('/api/destructure/window')))
  await observe('globalThis', async () => responseOf(await globalFetch('/other/destructure/global')))
  await observe('self with default', async () => responseOf(await selfFetch('/api/destructure/self', { method: 'POST', body: 's' })))
  await observe('parameter', async () => responseOf(await useClient(window)))
  const xhr = new Xhr()
  xhr.open('GET', '/api/destructure/xhr')
  const done = finished(xhr)
  xhr.send()
  note('xhr', await done)
  selfFetch = null
  note('reassigned', selfFetch)
})
