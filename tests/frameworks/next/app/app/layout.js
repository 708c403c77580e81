import { headers } from 'next/headers'

// The page continues the trace its request came with, as a traced backend renders it.
export default async function RootLayout({ children }) {
  const incoming = await headers()
  const trace = incoming.get('sentry-trace')
  const baggage = incoming.get('baggage')
  return (
    <html lang="en">
      <head>
        {trace && <meta name="sentry-trace" content={trace} />}
        {baggage && <meta name="baggage" content={baggage} />}
      </head>
      <body>{children}</body>
    </html>
  )
}
