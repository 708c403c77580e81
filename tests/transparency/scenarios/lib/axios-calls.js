// The same axios calls, whichever build of axios the scenario loaded.
import { note, observe } from './transcript.js'

function outcome(response) {
  return { status: response.status, data: response.data, contentType: response.headers['content-type'] }
}

function failure(error) {
  return { name: error.name, message: error.message, code: error.code, status: error.response && error.response.status }
}

async function settle(label, request) {
  await observe(label, () => request.then(outcome, (error) => failure(error)))
}

export async function axiosCalls(axios, name) {
  note('isAxiosError', typeof axios.isAxiosError)
  await settle('get', axios.get(`/api/${name}/get`, { params: { page: 1 } }))
  await settle('post', axios.post(`/other/${name}/post`, { a: 1 }))
  await settle('config', axios({ url: `/api/${name}/config`, method: 'put', data: 'text', headers: { 'X-Custom': 'ax' } }))
  const instance = axios.create({ baseURL: '/api', headers: { 'X-Instance': '1' } })
  await settle('instance', instance.get(`/${name}/instance`))
  await settle('404', axios.get('/api/status/404'))
  await settle('fetch adapter', axios.get(`/api/${name}/fetch-adapter`, { adapter: 'fetch' }))
  await settle('fetch adapter elsewhere', axios.post(`/other/${name}/fetch-adapter`, { f: 1 }, { adapter: 'fetch' }))
}
