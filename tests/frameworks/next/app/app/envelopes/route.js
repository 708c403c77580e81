// The browser SDK's tunnel: its envelopes end here.
export async function POST(request) {
  await request.arrayBuffer()
  return new Response(null, { status: 200 })
}
