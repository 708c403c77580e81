import { useEffect, useState } from 'react'
import { Link } from 'react-router'

export default function Home() {
  const [component, setComponent] = useState('pending')
  useEffect(() => {
    Promise.all([fetch('/api/component'), fetch('/other/component')]).then(
      (responses) => setComponent(responses.map((response) => response.status).join()),
      (error: Error) => setComponent(`failed: ${error.message}`),
    )
  }, [])
  return (
    <main>
      <p id="component">{component}</p>
      <Link id="to-traced" to="/traced">
        traced
      </Link>
    </main>
  )
}
