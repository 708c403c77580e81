// The app saves fetch and installs a wrapper that adds its own header; its code then calls fetch.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

function addAuth(init = {}) {
  return { ...init, headers: { ...init.headers, 'X-Auth': 'token-1' } }
}

scenario(async () => {
  const original = window.fetch
  window.fetch = (input, init) => original(input, addAuth(init))
  note('replaced', window.fetch !== original)
  await observe('fetch', async () => responseOf(await fetch('/api/save-then-wrap/bare')))
  await observe('window.fetch', async () => responseOf(await window.fetch('/other/save-then-wrap/window', { method: 'POST', body: 'x=1' })))
  await observe('globalThis.fetch', async () => responseOf(await globalThis.fetch('/api/save-then-wrap/global', { headers: { 'X-Custom': '1' } })))
  await observe('original', async () => responseOf(await original('/api/save-then-wrap/original')))
  window.fetch = original
  note('restored', window.fetch === original)
  await observe('after restore', async () => responseOf(await fetch('/api/save-then-wrap/restored')))
})
