import { useEffect, useState } from 'preact/hooks'

/** A Preact island: its requests run in the browser once it hydrates. */
export default function Island() {
  const [statuses, setStatuses] = useState('pending')
  useEffect(() => {
    Promise.all([fetch('/api/island'), fetch('/other/island'), fetch('/api/relay')]).then(
      (responses) => setStatuses(responses.map((response) => response.status).join(',')),
      (error: Error) => setStatuses(`failed: ${error.message}`),
    )
  }, [])
  return <p id="island">{statuses}</p>
}
