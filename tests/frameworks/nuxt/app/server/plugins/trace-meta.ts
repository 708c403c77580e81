const escapeAttribute = (value: string) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')

/**
 * The page continues the trace of the request that asked for it: the request's
 * `sentry-trace` and `baggage` go into the head as meta tags, where the browser reads them.
 */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('render:html', (html, { event }) => {
    for (const name of ['sentry-trace', 'baggage']) {
      const value = getRequestHeader(event, name)
      if (value !== undefined) html.head.push(`<meta name="${name}" content="${escapeAttribute(value)}">`)
    }
  })
})
