// A vendor script that only knows `this` (no module, no exports), bundled from a `.cjs` file.
import { note, scenario } from './lib/transcript.js'
import vendor from './lib/vendor-script.cjs'

scenario(async () => {
  const client = vendor.VendorClient
  note('loaded', client ? Object.keys(client) : String(client))
  note('sloppy this', client.sloppy)
  note('get', await new Promise((resolve) => client.get('/api/classic-vendor-script/get', (status, body) => resolve([status, body]))))
  const response = await client.post('/other/classic-vendor-script/post', 'v')
  note('post', [response.status, await response.text()])
  const traced = await client.post('/api/classic-vendor-script/post', 'w')
  note('post matching', traced.status)
})
