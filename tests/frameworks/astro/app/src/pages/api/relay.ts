import type { APIRoute } from 'astro'

/** An endpoint with its own fetch: server code, left as written. */
export const GET: APIRoute = async ({ url }) => {
  // A new connection each time, as in the page's frontmatter.
  const inner = await fetch(new URL('/api/from-endpoint', url), { headers: { connection: 'close' } })
  return Response.json({ name: 'relay', inner: inner.status })
}
