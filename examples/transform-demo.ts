/**
 * Shows what the transform does to a small app module: the rewritten code and
 * the decision taken for every call site. Run with `npm run demo:transform`.
 */
import { transform } from '../src/index.js'

const source = `import axios from 'axios'

const API = '/api'

export async function loadDashboard(userId) {
  const me = await fetch(API + '/me').then((r) => r.json())            // known URL, matches
  const feed = await fetch(\`/api/feed?user=\${userId}\`)                // path known, query unknown
  const ads = await fetch('https://ads.third-party.example/slot')     // third party: left alone
  const xhr = new XMLHttpRequest()                                     // URL known at open()
  const api = axios.create({ baseURL: 'https://api.example.com' })    // traced where created
  return { me, feed, ads, xhr, api }
}
`

const options = { tracePropagationTargets: [/^\/api/, 'api.example.com'] }
const result = transform(source, 'src/dashboard.js', { ...options, entry: true })
if (!result) throw new Error('the demo module should have call sites')

console.log('--- input: src/dashboard.js')
console.log(source)
console.log(`--- options: { tracePropagationTargets: [/^\\/api/, 'api.example.com'] }, entry: true`)
console.log('--- output')
console.log(result.code)
console.log('--- call sites')
for (const site of result.sites) {
  console.log(`  ${site.line}:${site.column + 1}  ${site.kind.padEnd(5)}  ${site.decision.padEnd(7)}  ${site.url ?? ''}`)
}
const counts = { always: 0, runtime: 0, never: 0 }
for (const site of result.sites) counts[site.decision]++
console.log(`${result.sites.length} call sites: ${counts.always} always, ${counts.runtime} runtime, ${counts.never} never`)
