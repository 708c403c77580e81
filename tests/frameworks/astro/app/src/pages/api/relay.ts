import type { APIRoute } from 'astro'

/** An endpoint with its own fetch: server code, left as written. */
export const GET: APIRoute = async ({ url }) => {
  const inner = await fetch(new URL('/api/from-endpoint', url))
  return Response.json({ name: 'relay', inner: inner.status })
}
