// The global object through an alias chosen by a typeof test.
import { finished, note, observe, responseOf, scenario } from './lib/transcript.js'

const root = typeof globalThis !== 'undefined' ? globalThis : window

scenario(async () => {
  note('alias is window', root === window)
  await observe('root.fetch', async () => responseOf(await root.fetch('/api/global-alias-conditional/fetch')))
  await observe('root.fetch elsewhere', async () => responseOf(await root.fetch('/other/global-alias-conditional/fetch')))
  const xhr = new root.XMLHttpRequest()
  xhr.open('GET', '/api/global-alias-conditional/xhr')
  const done = finished(xhr)
  xhr.send()
  note('xhr', await done)
})
