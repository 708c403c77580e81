import type { APIRoute } from 'astro'

/** An endpoint: server code, left as written. */
export const GET: APIRoute = ({ params }) => Response.json({ name: params.name })
