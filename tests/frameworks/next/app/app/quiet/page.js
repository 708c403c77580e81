import Link from 'next/link'

// No request before the client-side navigation.
export default function Quiet() {
  return (
    <main>
      <p id="quiet">quiet</p>
      <Link id="to-second" href="/second">second</Link>
    </main>
  )
}
