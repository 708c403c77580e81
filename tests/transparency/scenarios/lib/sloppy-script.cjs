/*
 * A classic script: no "use strict", top-level `this`, an implicit global, arguments.callee,
 * a legacy octal escape (a syntax error in strict code).
 */
var note = window.__transcript.note
var topLevelThis = this

note('top-level this is module.exports', topLevelThis === module.exports)
note('typeof this', typeof topLevelThis)

function whoIsThis() {
  return this
}
note('plain call gets the global object', whoIsThis() === window)

// A module bundler that emits strict code (Vite's ES modules) makes this throw: the original then throws too.
try {
  implicitGlobal = 'leaked'
  note('implicit global', window.implicitGlobal)
} catch (error) {
  note('implicit global', error.name + ': ' + error.message)
}
try {
  note('arguments.callee', (function () {
    return typeof arguments.callee
  })())
} catch (error) {
  note('arguments.callee', error.name + ': ' + error.message)
}
note('octal escape', '\101')

function xhrGet(url) {
  return new Promise(function (resolve) {
    var xhr = new XMLHttpRequest()
    xhr.open('GET', url)
    xhr.onloadend = function () {
      resolve([xhr.status, xhr.responseText])
    }
    xhr.send()
  })
}

module.exports = function run() {
  return xhrGet('/api/classic-script/xhr')
    .then(function (result) {
      note('xhr', result)
      return fetch('/other/classic-script/fetch')
    })
    .then(function (response) {
      note('fetch', response.status)
      return window.fetch('/api/classic-script/fetch', { method: 'POST', body: 'sloppy' })
    })
    .then(function (response) {
      note('window.fetch', response.status)
    })
}
