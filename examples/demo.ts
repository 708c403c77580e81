/**
 * `npm run demo`: builds the example app (examples/app) with the Vite plugin,
 * starts its backend and a second-origin API (both traced by @sentry/node), a
 * third party, and a fake Sentry ingest, all on 127.0.0.1; loads the two pages in
 * headless Chromium and prints what the ingest got as one tree per trace.
 * Exits with 1, saying why, when a trace is not connected.
 */

import { fileURLToPath } from 'node:url'
import { buildWithVite } from './app/build.js'
import type { IngestedSpan } from './harness/ingest.js'
import { startStack, type Stack, type Visit } from './harness/stack.js'
import { formatTree, type TreeNode } from './harness/trace-tree.js'
import type { ReceivedRequest } from './server/protocol.js'

const DIST = fileURLToPath(new URL('./app/dist', import.meta.url))

const problems: string[] = []

function check(condition: unknown, problem: string): void {
  if (!condition) problems.push(problem)
}

const via = (url: string) => new URL(url, 'http://x').searchParams.get('via') ?? '?'
const spanIdOf = (request: ReceivedRequest) => String(request.headers['sentry-trace'] ?? '').split('-')[1] ?? ''
const sdkName = (span: IngestedSpan) => span.sdk.replace('sentry.javascript.', '@sentry/')

function spanLabel(span: IngestedSpan): string {
  const id = `span ${span.spanId}`
  if (span.op === 'http.client') {
    return `http.client  ${span.attributes['http.request.method']} ${span.attributes['url.full']}  (${span.attributes.type}, ${sdkName(span)})  ${id}`
  }
  if (span.op === 'http.server') {
    const where = span.attributes['server.address'] === 'api.test' ? 'API server' : 'page server'
    return `http.server  ${span.name}  (${where}, ${sdkName(span)})  ${id}`
  }
  return `${span.op}  ${span.name}  (${sdkName(span)})  ${id}`
}

/** The third party's requests, as leaves under `parentId`: they carry no trace, so they are in no trace. */
function thirdPartyNodes(stack: Stack, parentId: string): TreeNode[] {
  const requests = stack.thirdParty.requests
  check(!requests.some((request) => request.method === 'OPTIONS'), 'the third party got a CORS preflight')
  return requests
    .filter((request) => request.method !== 'OPTIONS')
    .map((request, index) => {
      const leaked = ['sentry-trace', 'baggage', 'traceparent'].filter((name) => name in request.headers)
      check(!leaked.length, `the third party got ${leaked.join(', ')}`)
      return {
        id: `third-party-${index}`,
        parentId,
        order: 1e12 + index,
        label: `${via(request.url)} GET http://third-party.test${request.url}  (third party: ${leaked.length ? `GOT ${leaked.join(', ')}` : 'no trace headers, no preflight'})`,
      }
    })
}

/** Wait until every traced request's server span is in; the spans that matter in `traceId`. */
async function traceSpans(stack: Stack, traceId: string, requests: ReceivedRequest[]): Promise<IngestedSpan[]> {
  const answered = (spans: IngestedSpan[], request: ReceivedRequest) =>
    spans.some((span) => span.op === 'http.server' && span.traceId === traceId && span.parentSpanId === spanIdOf(request))
  await stack.backend.flush()
  await stack.ingest
    .waitFor((spans) => requests.every((request) => answered(spans, request)), 15_000)
    .catch(() => problems.push(`no server span is a child of the span id sent with ${requests.filter((r) => !answered(stack.ingest.spans, r)).map((r) => r.url).join(', ')}`))
  return stack.ingest.spans.filter((span) => span.traceId === traceId)
}

function tracedRequests(stack: Stack): ReceivedRequest[] {
  return stack.backend.requests.filter((request) => request.method === 'GET' && request.url.startsWith('/api/'))
}

function metaTrace(page: Visit): { traceId: string; spanId: string } {
  const [traceId = '', spanId = ''] = (page.meta.sentryTrace ?? '').split('-')
  return { traceId, spanId }
}

/** The spans worth showing; `requests` name the code that made each http.client span. */
function visibleSpans(spans: IngestedSpan[], metaSpanId: string, requests: ReceivedRequest[] = []): TreeNode[] {
  return spans
    .filter((span) => ['http.server', 'http.client', 'pageload'].includes(span.op ?? '') || span.spanId === metaSpanId)
    .map((span) => {
      const request = span.op === 'http.client' && requests.find((candidate) => spanIdOf(candidate) === span.spanId)
      return {
        id: span.spanId,
        parentId: span.parentSpanId,
        order: span.start,
        label: (request ? `${via(request.url)}: ` : '') + spanLabel(span) + (span.spanId === metaSpanId ? '  <- <meta name="sentry-trace">' : ''),
      }
    })
}

async function standalone(stack: Stack): Promise<string[]> {
  stack.backend.requests.length = 0
  stack.thirdParty.requests.length = 0
  const page = await stack.visit('/')
  check(!page.errors.length, `the standalone page logged errors: ${page.errors.join('; ')}`)
  check(!page.replacedGlobals.length, `the standalone page replaced ${page.replacedGlobals.join(', ')}`)
  const meta = metaTrace(page)
  const requests = tracedRequests(stack)
  check(requests.length === 6, `expected 6 traced requests, got ${requests.length}`)
  for (const request of requests) check(String(request.headers['sentry-trace']).startsWith(meta.traceId), `${request.url} did not continue the page's trace`)
  const spans = await traceSpans(stack, meta.traceId, requests)
  // No SDK in the page: a request's span id lives only in its headers.
  const requestNodes: TreeNode[] = requests.map((request, index) => ({
    id: spanIdOf(request),
    parentId: meta.spanId,
    order: index,
    label: `${via(request.url)} GET ${request.server === 'api' ? 'http://api.test' : ''}${request.url}  (browser, no SDK: span id from its sentry-trace header)  span ${spanIdOf(request)}`,
  }))
  return [
    `Standalone (no Sentry SDK in the page), ${page.url}`,
    `trace ${meta.traceId}`,
    ...formatTree([...visibleSpans(spans, meta.spanId), ...requestNodes, ...thirdPartyNodes(stack, meta.spanId)]),
  ]
}

async function withSentry(stack: Stack): Promise<string[]> {
  stack.backend.requests.length = 0
  stack.thirdParty.requests.length = 0
  let meta = { traceId: '', spanId: '' }
  const inTrace = (spans: IngestedSpan[]) => spans.filter((span) => span.traceId === meta.traceId)
  const page = await stack.visit('/sentry.html', {
    // The SDK sends the pageload once the page has been idle for a second.
    beforeClose: (visited) => {
      meta = metaTrace(visited)
      return stack.ingest
        .waitFor((spans) => inTrace(spans).some((span) => span.op === 'pageload') && inTrace(spans).filter((span) => span.op === 'http.client').length >= 6, 20_000)
        .catch(() => problems.push('the browser SDK did not send a pageload with 6 http.client spans'))
    },
  })
  check(!page.errors.length, `the Sentry page logged errors: ${page.errors.join('; ')}`)
  check(!page.replacedGlobals.length, `the Sentry page replaced ${page.replacedGlobals.join(', ')}`)
  const requests = tracedRequests(stack)
  const spans = await traceSpans(stack, meta.traceId, requests)
  const pageload = spans.find((span) => span.op === 'pageload')
  const clients = spans.filter((span) => span.op === 'http.client')
  check(pageload?.parentSpanId === meta.spanId, 'the pageload is not a child of the page server span')
  check(clients.length === 6 && clients.every((span) => span.parentSpanId === pageload?.spanId), 'the http.client spans are not children of the pageload')
  for (const request of requests) {
    const client = clients.find((span) => span.spanId === spanIdOf(request))
    check(client, `${request.url} carried a span id that is no http.client span`)
    check(
      spans.some((span) => span.op === 'http.server' && span.parentSpanId === client?.spanId),
      `no API server span is a child of the http.client span of ${request.url}`,
    )
  }
  return [
    `With @sentry/browser (connectSentry), ${page.url}`,
    `trace ${meta.traceId}`,
    ...formatTree([...visibleSpans(spans, meta.spanId, requests), ...thirdPartyNodes(stack, pageload?.spanId ?? meta.spanId)]),
  ]
}

console.log('Building the example app with unplugin-sentry-trace/vite and starting its servers...')
const [started, built] = await Promise.allSettled([startStack(DIST), buildWithVite(DIST)])
if (built.status === 'rejected') {
  if (started.status === 'fulfilled') await started.value.close()
  throw built.reason
}
if (started.status === 'rejected') throw started.reason
const stack = started.value
let output: string[] = []
try {
  output = [...(await standalone(stack)), '', ...(await withSentry(stack))]
} catch (error) {
  problems.push(String(error instanceof Error ? error.stack : error))
} finally {
  await stack.close()
}

console.log(`\n${output.join('\n')}\n`)
if (problems.length) {
  console.error(`NOT CONNECTED:\n- ${problems.join('\n- ')}`)
  process.exit(1)
}
console.log('Every traced request continued the page trace, every API span is a child of the request that called it, and the third party got nothing.')
process.exit(0)
