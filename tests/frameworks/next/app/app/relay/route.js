// A route handler (Node): its own fetch runs on the server, as written.
export async function GET(request) {
  const response = await fetch(`http://${request.headers.get('host')}/api/from-handler`)
  return Response.json({ relay: response.status })
}
