import { startTransition } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { HydratedRouter } from 'react-router/dom'

// React Router's default client entry without `<StrictMode>`, which runs every effect
// twice under `react-router dev`: each request is made once, in dev as in the build.
startTransition(() => {
  hydrateRoot(document, <HydratedRouter />)
})
