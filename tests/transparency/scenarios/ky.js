// ky, over the global fetch.
import ky from 'ky'
import { observe, scenario } from './lib/transcript.js'

function failure(error) {
  return { name: error.name, message: error.message, status: error.response && error.response.status }
}

scenario(async () => {
  await observe('get json', () => ky.get('/api/ky/get', { searchParams: { page: 1 } }).json())
  await observe('post', () => ky.post('/other/ky/post', { json: { a: 1 } }).text())
  await observe('extend', () => ky.extend({ prefixUrl: '/api', headers: { 'X-Custom': 'ky' } }).get('ky/extend').json())
  await observe('404', () => ky.get('/api/status/404').json().catch(failure))
})
