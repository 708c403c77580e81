// A server route's own request: server code, left as written.
export default defineEventHandler(async (event) => {
  const response = await fetch(new URL('/api/inner', getRequestURL(event)))
  return { name: 'from-server', inner: response.status }
})
