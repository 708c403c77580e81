// Optional calls and members on the global object.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

scenario(async () => {
  await observe('window?.fetch?.()', async () => responseOf(await window?.fetch?.('/api/optional-chaining/both')))
  await observe('globalThis?.fetch()', async () => responseOf(await globalThis?.fetch('/other/optional-chaining/object')))
  await observe('fetch?.()', async () => responseOf(await globalThis.fetch?.('/api/optional-chaining/call', { method: 'POST', body: 'o' })))
  await observe('self?.["fetch"]?.()', async () => responseOf(await self?.['fetch']?.('/api/optional-chaining/computed')))
  await observe('parenthesized', async () => responseOf(await (window?.fetch)('/api/optional-chaining/parenthesized')))
  note('missing method', window.fetchMissing?.('/api/optional-chaining/missing'))
  const maybe = Math.random() > 2 ? null : window
  await observe('possibly null object', async () => responseOf(await maybe?.fetch('/api/optional-chaining/maybe')))
})
