/* A UMD library as npm ships it: a script, with the global object passed to its factory. */
;(function (global, factory) {
  if (typeof module === 'object' && typeof module.exports === 'object') {
    module.exports = factory(global, true)
  } else {
    global.umdClient = factory(global)
  }
})(typeof window !== 'undefined' ? window : this, function (window, noGlobal) {
  'use strict'

  function request(method, url, body) {
    return new Promise(function (resolve) {
      var xhr = new window.XMLHttpRequest()
      xhr.open(method, url, true)
      xhr.onloadend = function () {
        resolve({ status: xhr.status, body: xhr.responseText, noGlobal: !!noGlobal })
      }
      xhr.send(body)
    })
  }

  function get(url) {
    return window.fetch(url).then(function (response) {
      return response.text().then(function (text) {
        return { status: response.status, body: text }
      })
    })
  }

  return { request: request, get: get }
})
