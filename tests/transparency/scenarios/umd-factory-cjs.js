// A UMD library file (CommonJS branch) that gets the global object as its factory's `window`.
import { note, scenario } from './lib/transcript.js'
import client from './lib/umd-client.cjs'

scenario(async () => {
  note('matching', await client.request('GET', '/api/umd-factory-cjs/xhr'))
  note('elsewhere', await client.request('POST', '/other/umd-factory-cjs/xhr', 'c'))
  note('fetch', await client.get('/api/umd-factory-cjs/fetch'))
})
