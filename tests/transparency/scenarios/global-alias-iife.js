// ofetch's `_globalThis`: an IIFE returning the global object, and a fetch built on it.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

const _globalThis = (function () {
  if (typeof globalThis !== 'undefined') return globalThis
  if (typeof self !== 'undefined') return self
  if (typeof window !== 'undefined') return window
  if (typeof global !== 'undefined') return global
  throw new Error('unable to locate global object')
})()

const fetch = _globalThis.fetch
  ? (...args) => _globalThis.fetch(...args)
  : () => Promise.reject(new Error('[ofetch] global.fetch is not supported!'))
const Headers = _globalThis.Headers

scenario(async () => {
  note('alias is window', _globalThis === window)
  await observe('wrapped', async () => responseOf(await fetch('/api/global-alias-iife/wrapped', { headers: new Headers({ 'X-Custom': 'iife' }) })))
  await observe('wrapped elsewhere', async () => responseOf(await fetch('/other/global-alias-iife/wrapped')))
  await observe('direct', async () => responseOf(await _globalThis.fetch('/api/global-alias-iife/direct', { method: 'POST', body: 'd' })))
})
