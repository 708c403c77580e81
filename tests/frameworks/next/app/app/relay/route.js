// A route handler (Node): its own fetch runs on the server, as written.
export async function GET(request) {
  const response = await fetch(new URL('/api/from-handler', request.url))
  return Response.json({ relay: response.status })
}
