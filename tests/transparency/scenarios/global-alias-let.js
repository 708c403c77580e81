// superagent's `let root`, assigned in branches, then `new root.XMLHttpRequest()`.
import { finished, note, scenario } from './lib/transcript.js'

let root
if (typeof window !== 'undefined') {
  root = window
} else if (typeof self === 'undefined') {
  console.warn('Using browser-only version of superagent in non-browser environment')
  root = this
} else {
  root = self
}

function getXHR() {
  if (root.XMLHttpRequest) return new root.XMLHttpRequest()
  throw new Error('Browser-only version of superagent could not find XHR')
}

function send(method, url, body) {
  const xhr = getXHR()
  xhr.open(method, url, true)
  const done = finished(xhr)
  xhr.send(body)
  return done
}

scenario(async () => {
  note('alias is window', root === window)
  note('matching', await send('GET', '/api/global-alias-let/xhr'))
  note('elsewhere', await send('POST', '/other/global-alias-let/xhr', 'l'))
  await root.fetch('/api/global-alias-let/fetch').then(
    (response) => note('fetch', response.status),
    (error) => note('fetch', error.message),
  )
})
