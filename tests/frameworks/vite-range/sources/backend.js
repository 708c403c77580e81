/**
 * What the app's backend does, in `vite dev` and `vite preview`: it renders the
 * trace of the page request (the `sentry-trace` and `baggage` request headers the
 * test's proxy adds) into the page's meta tags, as a server SDK's
 * `getTraceMetaTags()` would, and answers the app's requests under /api/ and /other/.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

const escapeAttribute = (value) => String(value).replace(/[&"<>]/g, (character) => `&#${character.charCodeAt(0)};`)

function withMetaTags(html, request) {
  const trace = request.headers['sentry-trace']
  if (!trace) return html
  const tags = `<meta name="sentry-trace" content="${escapeAttribute(trace)}"><meta name="baggage" content="${escapeAttribute(request.headers.baggage ?? '')}">`
  return html.replace('<head>', `<head>\n    ${tags}`)
}

const isPage = (request) => ['/', '/index.html'].includes(request.url.split('?')[0])

function answerRequests(request, response, next) {
  const path = request.url.split('?')[0]
  if (!/^\/(?:api|other)\//.test(path)) return next()
  response.setHeader('Content-Type', 'application/json')
  response.end(JSON.stringify({ path }))
}

function sendPage(response, html) {
  response.setHeader('Content-Type', 'text/html')
  response.end(html)
}

export function backend() {
  return {
    name: 'backend',
    configureServer(server) {
      server.middlewares.use(answerRequests)
      // After Vite's own middlewares, before its HTML one: the page, through Vite's HTML hooks.
      return () =>
        server.middlewares.use((request, response, next) => {
          if (!isPage(request)) return next()
          readFile(join(server.config.root, 'index.html'), 'utf8')
            .then((html) => server.transformIndexHtml(request.url, withMetaTags(html, request)))
            .then((html) => sendPage(response, html), next)
        })
    },
    configurePreviewServer(server) {
      server.middlewares.use(answerRequests)
      server.middlewares.use((request, response, next) => {
        if (!isPage(request)) return next()
        readFile(resolve(server.config.root, server.config.build.outDir, 'index.html'), 'utf8').then((html) => sendPage(response, withMetaTags(html, request)), next)
      })
    },
  }
}
