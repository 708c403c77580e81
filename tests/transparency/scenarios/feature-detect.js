// Feature detection of fetch and XMLHttpRequest, and what the app reads off them.
import { finished, note, observe, responseOf, scenario } from './lib/transcript.js'

function xhrGet(url) {
  const xhr = new XMLHttpRequest()
  xhr.open('GET', url)
  const done = finished(xhr)
  xhr.send()
  return done
}

scenario(async () => {
  note('typeof fetch', typeof fetch)
  note('typeof window.fetch', typeof window.fetch)
  note('in window', 'fetch' in window)
  note('own property', Object.prototype.hasOwnProperty.call(window, 'fetch'))
  note('same function', window.fetch === fetch && globalThis.fetch === self.fetch)
  note('name and length', [fetch.name, fetch.length])
  note('native', /\[native code\]/.test(Function.prototype.toString.call(window.fetch)))
  note('descriptor', Object.getOwnPropertyDescriptor(window, 'fetch'))
  note('typeof XMLHttpRequest', typeof XMLHttpRequest)

  if (!window.fetch) {
    note('if', 'no fetch')
    note('if request', await xhrGet('/api/feature-detect/if'))
  } else {
    await observe('if request', async () => responseOf(await fetch('/api/feature-detect/if')))
  }

  const send = window.fetch ? (url) => window.fetch(url) : xhrGet
  await observe('ternary request', async () => responseOf(await send('/other/feature-detect/ternary')))

  const transport = typeof fetch === 'function' ? 'fetch' : 'xhr'
  note('transport', transport)
  await observe('typeof request', async () =>
    transport === 'fetch' ? responseOf(await fetch('/api/feature-detect/typeof')) : xhrGet('/api/feature-detect/typeof'),
  )

  const hasXhr = typeof window.XMLHttpRequest !== 'undefined'
  note('has XMLHttpRequest', hasXhr)
  if (hasXhr) note('xhr request', await xhrGet('/api/feature-detect/xhr'))
})
