/*
 * A vendor script written for a <script> tag: sloppy mode, no CommonJS of its own,
 * its API hung on the top-level `this` (the module's exports once bundled).
 */
;(function (root) {
  function get(url, done) {
    var xhr = new XMLHttpRequest()
    xhr.open('GET', url)
    xhr.onloadend = function () {
      done(xhr.status, xhr.responseText)
    }
    xhr.send()
  }

  function post(url, body) {
    return fetch(url, { method: 'POST', body: body })
  }

  var sloppy = (function () {
    return this
  })()

  root.VendorClient = { get: get, post: post, sloppy: typeof sloppy }
})(this)
