import type { Handle } from '@sveltejs/kit'

const escapeAttribute = (value: string) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')

/**
 * The page continues the trace of the request that asked for it: the request's
 * `sentry-trace` and `baggage` go into the head as meta tags, where the browser reads them.
 */
export const handle: Handle = ({ event, resolve }) => {
  const tags = ['sentry-trace', 'baggage']
    .map((name) => [name, event.request.headers.get(name)] as const)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `<meta name="${name}" content="${escapeAttribute(value!)}">`)
    .join('')
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('</head>', `${tags}</head>`) })
}
