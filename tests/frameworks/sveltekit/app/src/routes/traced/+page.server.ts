import type { PageServerLoad } from './$types'

/** Server only: the global fetch, to this app's own origin. */
export const load: PageServerLoad = async ({ url }) => {
  const response = await fetch(new URL('/api/from-server', url))
  return { server: String(response.status) }
}
