// superagent's browser client (XMLHttpRequest through its `root` alias of the global object).
import superagent from 'superagent'
import { observe, scenario } from './lib/transcript.js'

function outcome(response) {
  return { status: response.status, body: response.body, type: response.type }
}

function failure(error) {
  return { message: error.message, status: error.status }
}

scenario(async () => {
  await observe('get', () => superagent.get('/api/superagent/get').query({ page: 1 }).set('X-Custom', 'sa').then(outcome, failure))
  await observe('post', () => superagent.post('/other/superagent/post').send({ a: 1 }).then(outcome, failure))
  await observe('put', () => superagent.put('/api/superagent/put').type('form').send({ f: 'v' }).then(outcome, failure))
  await observe('404', () => superagent.get('/api/status/404').then(outcome, failure))
})
