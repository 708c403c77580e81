// fetch called directly, with every shape of input and init an app uses, and the errors fetch throws.
import { note, observe, responseOf, scenario } from './lib/transcript.js'

scenario(async () => {
  await observe('string', async () => responseOf(await fetch('/api/fetch-shapes/string?q=1')))
  await observe('other path', async () => responseOf(await fetch('/other/fetch-shapes/string')))
  await observe('URL object', async () => responseOf(await fetch(new URL('/api/fetch-shapes/url', location.href))))
  await observe('absolute same-origin', async () => responseOf(await fetch(`${location.origin}/other/fetch-shapes/absolute`)))

  const request = new Request('/api/fetch-shapes/request', { method: 'POST', body: 'request body', headers: { 'X-Custom': 'from-request' } })
  await observe('Request', async () => responseOf(await fetch(request)))
  note('Request body used', request.bodyUsed)
  await observe('Request with init', async () =>
    responseOf(await fetch(new Request('/other/fetch-shapes/request'), { method: 'PUT', body: 'init body' })),
  )

  const headers = new Headers({ 'X-Custom': 'headers-object' })
  await observe('Headers', async () => responseOf(await fetch('/api/fetch-shapes/headers', { headers })))
  note('Headers untouched', [...headers])
  const pairs = [['X-Custom', 'pairs']]
  await observe('pairs', async () => responseOf(await fetch('/api/fetch-shapes/pairs', { headers: pairs })))
  note('pairs untouched', pairs)
  const init = Object.freeze({ method: 'POST', body: JSON.stringify({ frozen: true }), headers: Object.freeze({ 'Content-Type': 'application/json' }) })
  await observe('frozen init', async () => responseOf(await fetch('/api/fetch-shapes/frozen', init)))
  note('frozen init untouched', init)

  // The caller's own trace headers: kept as they are, never doubled.
  await observe('own sentry-trace', async () =>
    responseOf(
      await fetch('/api/fetch-shapes/own-trace', {
        headers: { 'Sentry-Trace': 'c0ffee00c0ffee00c0ffee00c0ffee00-c0ffee00c0ffee00-0', baggage: 'sentry-release=c0ffee' },
      }),
    ),
  )
  await observe('own baggage', async () => responseOf(await fetch('/api/fetch-shapes/own-baggage', { headers: { baggage: 'caller=c0ffee' } })))
  await observe('own baggage elsewhere', async () => responseOf(await fetch('/other/fetch-shapes/own-baggage', { headers: { baggage: 'caller=c0ffee' } })))

  await observe('status 404', async () => responseOf(await fetch('/api/status/404')))
  await observe('HEAD', async () => responseOf(await fetch('/api/fetch-shapes/head', { method: 'HEAD' })))

  // Errors fetch throws, before or without a request.
  await observe('no argument', () => fetch())
  await observe('GET with a body', () => fetch('/api/fetch-shapes/get-body', { body: 'x' }))
  const aborted = new AbortController()
  aborted.abort()
  await observe('aborted', () => fetch('/api/fetch-shapes/aborted', { signal: aborted.signal }))
  await observe('refused', () => fetch('http://127.0.0.1:9/other/fetch-shapes/refused'))
  await observe('bad header', () => fetch('/api/fetch-shapes/bad-header', { headers: { 'X Bad': '1' } }))
})
