// XMLHttpRequest used directly: events, response, the caller's headers, reuse and the errors it throws.
import { finished, note, observe, scenario, xhrOf } from './lib/transcript.js'

scenario(async () => {
  const get = new XMLHttpRequest()
  const states = []
  get.onreadystatechange = () => states.push(get.readyState)
  get.open('GET', '/api/xhr-plain/get?x=1')
  get.setRequestHeader('X-Custom', 'xhr')
  const done = finished(get)
  get.send()
  note('GET', await done)
  note('ready states', states)

  const post = new XMLHttpRequest()
  post.open('POST', '/other/xhr-plain/post')
  post.setRequestHeader('Content-Type', 'text/plain')
  post.responseType = 'json'
  const posted = finished(post)
  post.send('xhr body')
  note('POST', await posted)

  // Opened twice: only the second request goes out.
  const reopened = new XMLHttpRequest()
  reopened.open('GET', '/other/xhr-plain/first-open')
  reopened.open('PUT', '/api/xhr-plain/second-open')
  const reopenedDone = finished(reopened)
  reopened.send('second')
  note('reopened', await reopenedDone)

  // Reused after it finished.
  reopened.open('GET', '/api/xhr-plain/reused')
  const reused = finished(reopened)
  reopened.send()
  note('reused', await reused)

  const sync = new XMLHttpRequest()
  sync.open('GET', '/api/xhr-plain/sync', false)
  sync.send()
  note('synchronous', xhrOf(sync))

  // The caller's own trace header is kept.
  const own = new XMLHttpRequest()
  own.open('GET', '/api/xhr-plain/own-trace')
  own.setRequestHeader('sentry-trace', 'c0ffee00c0ffee00c0ffee00c0ffee00-c0ffee00c0ffee00-1')
  own.setRequestHeader('baggage', 'sentry-release=c0ffee')
  const ownDone = finished(own)
  own.send()
  note('own sentry-trace', await ownDone)

  const aborted = new XMLHttpRequest()
  aborted.open('GET', '/api/xhr-plain/aborted')
  const abortedDone = finished(aborted)
  aborted.abort()
  note('aborted before send', { readyState: aborted.readyState })
  await observe('send after abort', () => aborted.send())
  note('aborted', await Promise.race([abortedDone, new Promise((resolve) => setTimeout(() => resolve('no loadend'), 200))]))

  await observe('send before open', () => new XMLHttpRequest().send())
  await observe('header before open', () => new XMLHttpRequest().setRequestHeader('X-Custom', '1'))
  const twice = new XMLHttpRequest()
  twice.open('GET', '/other/xhr-plain/sent-twice')
  const twiceDone = finished(twice)
  twice.send()
  await observe('send twice', () => twice.send())
  note('sent twice', await twiceDone)
  await observe('bad method', () => new XMLHttpRequest().open('GET POST', '/api/xhr-plain/bad'))
})
