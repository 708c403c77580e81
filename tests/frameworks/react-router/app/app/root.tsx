import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from 'react-router'
import type { ReactNode } from 'react'

/** The trace of the request that asked for the page, as its headers brought it. */
export function loader({ request }: { request: Request }) {
  return {
    sentryTrace: request.headers.get('sentry-trace'),
    baggage: request.headers.get('baggage'),
  }
}

/** The page continues that trace: the meta tags the browser reads on pageload. */
export function Layout({ children }: { children: ReactNode }) {
  const trace = useRouteLoaderData<typeof loader>('root')
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        {trace?.sentryTrace ? <meta name="sentry-trace" content={trace.sentryTrace} /> : null}
        {trace?.baggage ? <meta name="baggage" content={trace.baggage} /> : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}
