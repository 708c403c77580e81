import axios from 'axios'
import ky from 'ky'
import superagent from 'superagent'

function xhr(url) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('GET', url)
    request.onload = () => resolve(request.status)
    request.onerror = () => reject(new Error(`XHR to ${url} failed`))
    request.send()
  })
}

Promise.all([
  // The app's own requests.
  fetch('/api/app-fetch').then((response) => response.status),
  xhr('/api/app-xhr'),
  axios.get('/api/app-axios').then((response) => response.status),
  fetch('/other/app-fetch').then((response) => response.status),
  // Requests a dependency makes: ky's fetch (an ES module), superagent's XMLHttpRequest (CommonJS).
  ky.get('/api/dependency-ky').then((response) => response.status),
  superagent.get('/api/dependency-superagent').then((response) => response.status),
]).then(
  (statuses) => (document.getElementById('statuses').textContent = statuses.join(',')),
  (error) => (document.getElementById('statuses').textContent = `failed: ${error.message}`),
)
