import type { LoaderFunctionArgs } from 'react-router'

/** A resource route no trace target matches. */
export function loader({ params }: LoaderFunctionArgs) {
  return Response.json({ other: params.name })
}
