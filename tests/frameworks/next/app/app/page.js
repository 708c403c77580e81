import { headers } from 'next/headers'
import Requests from './requests.js'

// A server component: its own fetch runs on the server, as written.
export default async function Home() {
  const host = (await headers()).get('host')
  const response = await fetch(`http://${host}/api/from-server`, { cache: 'no-store' })
  return (
    <main>
      <p id="server">{String(response.status)}</p>
      <Requests />
    </main>
  )
}
