import { getTraceData } from '@sentry/nextjs'
import { useEffect, useState } from 'react'

// A Pages Router page next to the App Router: its requests go out from the browser too.
// It shows the trace the Sentry SDK propagates from here (the pageload's), which its
// requests must join.
export default function Legacy() {
  const [shown, setShown] = useState({ sdkTrace: 'pending', legacy: 'pending', legacyXhr: 'pending' })
  useEffect(() => {
    const show = (key, value) => setShown((current) => ({ ...current, [key]: value }))
    show('sdkTrace', getTraceData()['sentry-trace'] ?? 'none')
    fetch('/api/legacy').then((response) => show('legacy', String(response.status)))
    const request = new XMLHttpRequest()
    request.open('GET', '/api/legacy-xhr')
    request.onload = () => show('legacyXhr', String(request.status))
    request.send()
  }, [])
  return (
    <main>
      <p id="sdk-trace">{shown.sdkTrace}</p>
      <p id="legacy">{shown.legacy}</p>
      <p id="legacy-xhr">{shown.legacyXhr}</p>
    </main>
  )
}
