// A UMD-style factory in the app's own module: the global object comes in as its `window` parameter.
import { finished, note, scenario } from './lib/transcript.js'

const client = (function (global, factory) {
  return typeof module === 'object' && typeof module.exports === 'object' ? (module.exports = factory(global, true)) : factory(global)
})(typeof window !== 'undefined' ? window : this, function (window) {
  function request(method, url, body) {
    const xhr = new window.XMLHttpRequest()
    xhr.open(method, url)
    const done = finished(xhr)
    xhr.send(body)
    return done
  }
  return { request, fetch: (url, init) => window.fetch(url, init) }
})

scenario(async () => {
  note('matching', await client.request('GET', '/api/umd-factory/xhr'))
  note('elsewhere', await client.request('POST', '/other/umd-factory/xhr', 'u'))
  const response = await client.fetch('/api/umd-factory/fetch')
  note('fetch', [response.status, await response.text()])
})
