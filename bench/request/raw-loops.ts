/**
 * Request loops as the app wrote them, never rewritten (the bench excludes this
 * file from the plugin): the raw baseline, and what the SDK's patched global sees.
 * One function per variant, so each call site's feedback stays its own.
 */

export function rawMatching(n: number, url: string): Array<Promise<Response>> {
  const pending = new Array<Promise<Response>>(n)
  for (let i = 0; i < n; i++) pending[i] = fetch(url)
  return pending
}

export function rawNonMatching(n: number, url: string): Array<Promise<Response>> {
  const pending = new Array<Promise<Response>>(n)
  for (let i = 0; i < n; i++) pending[i] = fetch(url)
  return pending
}

/** `root.fetch(url)` as written: the baseline of the run-time receiver check. */
export function receiverRaw(root: { fetch: typeof fetch }, n: number, url: string): Array<Promise<Response>> {
  const pending = new Array<Promise<Response>>(n)
  for (let i = 0; i < n; i++) pending[i] = root.fetch(url)
  return pending
}
