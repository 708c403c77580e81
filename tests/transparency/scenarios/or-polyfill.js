// `||` / `??` polyfills that keep the native fetch, and the identity checks around them.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

function polyfill() {
  throw new Error('the polyfill ran')
}

const native = window.fetch
window.fetch = window.fetch || polyfill
self.fetch = self.fetch ?? polyfill
globalThis.fetch ||= polyfill
const request = window.fetch || polyfill

scenario(async () => {
  note('|| kept native', window.fetch === native)
  note('?? kept native', self.fetch === native)
  note('||= kept native', globalThis.fetch === native)
  note('local is native', request === native)
  await observe('local', async () => responseOf(await request('/api/or-polyfill/local')))
  await observe('global', async () => responseOf(await fetch('/other/or-polyfill/global')))
  await observe('window', async () => responseOf(await window.fetch('/api/or-polyfill/window', { method: 'POST', body: 'p' })))
  const inline = (window.fetch || polyfill)('/api/or-polyfill/inline')
  await observe('inline', async () => responseOf(await inline))
})
