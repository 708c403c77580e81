'use client'
import ky from 'ky'
import Link from 'next/link'
import { useEffect, useState } from 'react'

// A client component: its requests go out from the browser.
export default function Requests() {
  const [shown, setShown] = useState({ component: 'pending', dependency: 'pending', xhr: 'pending', handlers: 'pending' })
  useEffect(() => {
    const show = (key, value) => setShown((current) => ({ ...current, [key]: value }))
    Promise.all([fetch('/api/component'), fetch('/other/component')]).then((responses) => show('component', responses.map((response) => response.status).join(',')))
    // No time limit: a dev server compiles routes on first request.
    ky.get('/api/dependency', { timeout: false }).then((response) => show('dependency', String(response.status)))
    const request = new XMLHttpRequest()
    request.open('GET', '/api/xhr')
    request.onload = () => show('xhr', String(request.status))
    request.send()
    // A route handler and edge middleware, each making its own request on the server.
    Promise.all([fetch('/relay'), fetch('/mw/ping')]).then((responses) => show('handlers', responses.map((response) => response.status).join(',')))
  }, [])
  return (
    <div>
      <p id="component">{shown.component}</p>
      <p id="dependency">{shown.dependency}</p>
      <p id="xhr">{shown.xhr}</p>
      <p id="handlers">{shown.handlers}</p>
      <Link id="to-second" href="/second">second</Link>
    </div>
  )
}
