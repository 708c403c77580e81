import type { LoaderFunctionArgs } from 'react-router'

/** A resource route: `/api/<name>` answers its name. */
export function loader({ params }: LoaderFunctionArgs) {
  return Response.json({ api: params.name })
}
