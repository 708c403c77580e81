// @vitest-environment jsdom
/**
 * The Angular interceptor with the real Sentry browser SDK as the trace source
 * (`connectSentry`): the request carries the headers of the `http.client` span the
 * SDK started for it, a child of the active span, and that span ends with the
 * response's status, as the SDK's own request spans do. The SDK's envelopes are
 * caught by its own transport API, so nothing leaves the machine.
 */
import { browserTracingIntegration, flush, getActiveSpan, getClient, getTraceData, init, setHttpStatus, startInactiveSpan, startSpan } from '@sentry/browser'
import { createTransport } from '@sentry/core'
import { Observable, lastValueFrom } from 'rxjs'
import { expect, it } from 'vitest'
import { sentryTraceInterceptor } from '../../runtime/angular.js'
import { connectSentry } from '../../runtime/sentry.js'

interface SentSpan {
  span_id: string
  parent_span_id?: string
  op?: string
  description?: string
  status?: string
  timestamp?: number
  data?: Record<string, unknown>
}

const envelopes: string[] = []

/** A request as the interceptor reads it (see angular.test.ts for the fuller stand-in). */
function request(url: string, sent: Array<Record<string, string>>) {
  const make = (headers: Record<string, string>) => ({
    urlWithParams: url,
    method: 'GET',
    headers: { has: (name: string) => name in headers, getAll: (name: string) => (name in headers ? [headers[name]!] : null) },
    clone: ({ setHeaders = {} }: { setHeaders?: Record<string, string> }) => {
      sent.push({ ...headers, ...setHeaders })
      return make({ ...headers, ...setHeaders })
    },
  })
  return make({})
}

/** A backend that answers with `status`: a Response event, or an error response as Angular gives it. */
const answer = (status: number) => () =>
  new Observable<{ type: number; status: number }>((subscriber) => {
    setTimeout(() => {
      if (status < 400) {
        subscriber.next({ type: 4, status })
        subscriber.complete()
      } else subscriber.error({ name: 'HttpErrorResponse', status })
    })
  })

it("sends the SDK's http.client span as the parent, and the span ends with the status", async () => {
  init({
    dsn: 'https://public@o0.ingest.sentry.io/1',
    tracesSampleRate: 1,
    traceLifecycle: 'static',
    // The SDK's own request instrumentation off, as the README says.
    integrations: [browserTracingIntegration({ traceFetch: false, traceXHR: false, instrumentPageLoad: false, instrumentNavigation: false })],
    transport: (options) => createTransport(options, async (sent) => (envelopes.push(String(sent.body)), { statusCode: 200 })),
  } as Parameters<typeof init>[0])
  connectSentry({ getClient, getActiveSpan, startInactiveSpan, getTraceData, setHttpStatus })

  const sent: Array<Record<string, string>> = []
  await startSpan({ name: 'load orders', op: 'ui.action' }, async () => {
    await lastValueFrom(sentryTraceInterceptor(request('/api/orders?page=2', sent), answer(200)))
    await lastValueFrom(sentryTraceInterceptor(request('/api/missing', sent), answer(404))).catch(() => undefined)
  })
  await flush(2_000)

  const transaction = envelopes
    .flatMap((envelope) => envelope.split('\n').map((line) => JSON.parse(line) as { type?: string; spans?: SentSpan[]; contexts?: { trace?: { trace_id: string; span_id: string } } }))
    .find((item) => item.spans)
  expect(transaction).toBeDefined()
  const requests = transaction!.spans!.filter((span) => span.op === 'http.client')
  expect(requests.map(({ description, status }) => ({ description, status }))).toEqual([
    { description: 'GET /api/orders', status: 'ok' },
    { description: 'GET /api/missing', status: 'not_found' },
  ])
  expect(sent).toHaveLength(2)
  for (const [index, span] of requests.entries()) {
    expect(span.parent_span_id).toBe(transaction!.contexts!.trace!.span_id)
    expect(span.timestamp).toBeTypeOf('number')
    expect(span.data?.['http.response.status_code']).toBe(index === 0 ? 200 : 404)
    // The header is that span's, in the transaction's trace.
    expect(sent[index]!['sentry-trace']).toMatch(new RegExp(`^${transaction!.contexts!.trace!.trace_id}-${span.span_id}-1$`))
    expect(sent[index]!.baggage).toContain(`sentry-trace_id=${transaction!.contexts!.trace!.trace_id}`)
  }
})
