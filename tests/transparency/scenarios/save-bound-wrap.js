// A bound copy of fetch, saved before a counting wrapper replaces the global.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

const native = window.fetch.bind(window)
const calls = []
window.fetch = function countingFetch(input, init) {
  calls.push(String(input))
  return native(input, init)
}

scenario(async () => {
  note('bound name', native.name)
  note('wrapper name', fetch.name)
  await observe('fetch', async () => responseOf(await fetch('/api/save-bound-wrap/bare')))
  await observe('self.fetch', async () => responseOf(await self.fetch('/other/save-bound-wrap/self')))
  await observe('native', async () => responseOf(await native('/api/save-bound-wrap/native', { method: 'DELETE' })))
  note('wrapper calls', calls)
})
