/**
 * The same loops as raw-loops.ts, rewritten by the plugin in the bench build:
 * a URL known only at run time becomes `tracedFetch`, a known matching one
 * `alwaysTracedFetch`, and a known third-party one stays untouched (`never`).
 */

export function runtimeMatching(n: number, url: string): Array<Promise<Response>> {
  const pending = new Array<Promise<Response>>(n)
  for (let i = 0; i < n; i++) pending[i] = fetch(url)
  return pending
}

export function runtimeNonMatching(n: number, url: string): Array<Promise<Response>> {
  const pending = new Array<Promise<Response>>(n)
  for (let i = 0; i < n; i++) pending[i] = fetch(url)
  return pending
}

export function alwaysMatching(n: number): Array<Promise<Response>> {
  const pending = new Array<Promise<Response>>(n)
  for (let i = 0; i < n; i++) pending[i] = fetch('/api/items?page=1')
  return pending
}

export function neverSite(n: number): Array<Promise<Response>> {
  const pending = new Array<Promise<Response>>(n)
  for (let i = 0; i < n; i++) pending[i] = fetch('https://cdn.third-party.example/pixel.gif')
  return pending
}

/**
 * `root.fetch(url)` where `root` is a parameter: the build cannot tell whether it is
 * the global object, so the call becomes `traceFetchOn(root).fetch(url)`.
 */
export function receiverChecked(root: { fetch: typeof fetch }, n: number, url: string): Array<Promise<Response>> {
  const pending = new Array<Promise<Response>>(n)
  for (let i = 0; i < n; i++) pending[i] = root.fetch(url)
  return pending
}
