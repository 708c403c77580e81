// fetch through call, apply, bind and Reflect.apply, including the receivers fetch refuses.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

scenario(async () => {
  await observe('call window', async () => responseOf(await fetch.call(window, '/api/call-apply-bind/call')))
  await observe('call undefined', async () => responseOf(await window.fetch.call(undefined, '/other/call-apply-bind/call-undefined')))
  await observe('apply', async () => responseOf(await fetch.apply(window, ['/api/call-apply-bind/apply', { method: 'POST', body: 'a' }])))
  await observe('Reflect.apply', async () => responseOf(await Reflect.apply(fetch, globalThis, ['/api/call-apply-bind/reflect'])))

  const bound = fetch.bind(window)
  note('bound name', [bound.name, bound.length])
  await observe('bound', async () => responseOf(await bound('/api/call-apply-bind/bound')))
  const partial = window.fetch.bind(globalThis, '/other/call-apply-bind/partial')
  await observe('partial', async () => responseOf(await partial()))

  await observe('call with a foreign receiver', () => fetch.call({}, '/api/call-apply-bind/illegal'))
  await observe('bound to document', () => fetch.bind(document)('/api/call-apply-bind/illegal-bound'))
  await observe('method of another object', () => ({ fetch }).fetch('/api/call-apply-bind/illegal-method'))
})
