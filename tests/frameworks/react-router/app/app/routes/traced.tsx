import { useEffect, useState } from 'react'
import { useLoaderData, type ClientLoaderFunctionArgs, type LoaderFunctionArgs } from 'react-router'

/** On the server: its fetch goes out from there. */
export async function loader({ request }: LoaderFunctionArgs) {
  const response = await fetch(new URL('/api/from-server', request.url))
  return { server: String(response.status), load: 'not run' }
}

/** In the browser, on a client-side navigation to this page (not on a direct load). */
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [fromServer, ...responses] = await Promise.all([serverLoader<typeof loader>(), fetch('/api/load'), fetch('/other/load')])
  return { server: fromServer.server, load: responses.map((response) => response.status).join() }
}

export default function Traced() {
  const data = useLoaderData<typeof loader>()
  const [after, setAfter] = useState('pending')
  useEffect(() => {
    fetch('/api/after-navigation').then(
      (response) => setAfter(String(response.status)),
      (error: Error) => setAfter(`failed: ${error.message}`),
    )
  }, [])
  return (
    <main>
      <p id="load">{data.load}</p>
      <p id="server">{data.server}</p>
      <p id="after">{after}</p>
    </main>
  )
}
