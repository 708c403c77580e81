// What SvelteKit's `$app/stores` gives a page that made no navigation: the SDK's
// pageload instrumentation reads the route from it.
import { readable } from 'svelte/store'

export const page = readable({ route: { id: '/' }, url: new URL(location.href), params: {} })
export const navigating = readable(null)
