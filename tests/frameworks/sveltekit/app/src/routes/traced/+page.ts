import type { PageLoad } from './$types'

/**
 * Universal: on the server for a direct load (the bodies it read go into the page,
 * and hydration reads them from there), in the browser on a client-side navigation.
 */
export const load: PageLoad = async ({ fetch, data }) => {
  const responses = await Promise.all([fetch('/api/load'), fetch('/other/load')])
  const bodies: Array<{ name: string }> = await Promise.all(responses.map((response) => response.json()))
  return { ...data, load: responses.map((response, index) => `${response.status} ${bodies[index]!.name}`).join(',') }
}
