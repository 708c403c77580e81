// What an app can ask of XMLHttpRequest and its instances, and a subclass of it.
import { finished, note, scenario } from './lib/transcript.js'

class JsonRequest extends XMLHttpRequest {
  constructor() {
    super()
    this.responseType = 'json'
  }
}

scenario(async () => {
  const xhr = new XMLHttpRequest()
  note('instanceof', xhr instanceof XMLHttpRequest)
  note('constructor', xhr.constructor === XMLHttpRequest)
  note('prototype', Object.getPrototypeOf(xhr) === XMLHttpRequest.prototype)
  note('class name', XMLHttpRequest.name)
  note('instance tag', Object.prototype.toString.call(xhr))
  note('DONE', XMLHttpRequest.DONE)
  note('global', window.XMLHttpRequest === XMLHttpRequest)
  xhr.open('GET', '/api/xhr-identity/plain')
  const plain = finished(xhr)
  xhr.send()
  note('plain', await plain)

  const Xhr = XMLHttpRequest
  const aliased = new Xhr()
  note('alias constructor', aliased.constructor === window.XMLHttpRequest)
  aliased.open('GET', '/other/xhr-identity/alias')
  const aliasedDone = finished(aliased)
  aliased.send()
  note('alias', await aliasedDone)

  const json = new JsonRequest()
  note('subclass instanceof', json instanceof XMLHttpRequest)
  note('subclass prototype', Object.getPrototypeOf(JsonRequest.prototype) === XMLHttpRequest.prototype)
  json.open('GET', '/api/xhr-identity/subclass')
  const jsonDone = finished(json)
  json.send()
  note('subclass', await jsonDone)
})
