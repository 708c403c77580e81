/**
 * A fake Sentry ingest on 127.0.0.1: SDKs send their envelopes here (the DSN points
 * at it), and every span in them is kept, from `span` items (v2 span streaming, the
 * v11 default) and from `transaction` items (`traceLifecycle: 'static'`) alike.
 */

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'

/** One span, whichever item it came in. */
export interface IngestedSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  op?: string
  origin?: string
  status?: string
  /** The root span of its segment (a transaction, or a streamed segment span). */
  segment: boolean
  /** `sentry.javascript.browser`, `sentry.javascript.node`, ... */
  sdk: string
  /** Seconds since the epoch. */
  start: number
  attributes: Record<string, unknown>
}

export interface Ingest {
  /** `http://key@127.0.0.1:port/1` */
  dsn: string
  origin: string
  spans: IngestedSpan[]
  /** Resolves with the spans once `done(spans)` holds; rejects with `describe()` after `timeoutMs`. */
  waitFor(done: (spans: IngestedSpan[]) => boolean, timeoutMs: number, describe?: () => string): Promise<IngestedSpan[]>
  close(): Promise<void>
}

type Json = Record<string, unknown>

const str = (value: unknown) => (typeof value === 'string' ? value : undefined)

/** Items of an envelope: a header line, then for each item a header line and a payload (`length` bytes, or one line). */
export function parseEnvelope(body: Buffer): { header: Json; items: Array<{ header: Json; payload: Buffer }> } {
  let offset = 0
  const line = () => {
    const end = body.indexOf(10, offset)
    const text = body.subarray(offset, end === -1 ? body.length : end)
    offset = end === -1 ? body.length : end + 1
    return text
  }
  const header = JSON.parse(line().toString('utf8')) as Json
  const items: Array<{ header: Json; payload: Buffer }> = []
  while (offset < body.length) {
    const text = line().toString('utf8').trim()
    if (!text) continue
    const itemHeader = JSON.parse(text) as Json
    let payload: Buffer
    if (typeof itemHeader.length === 'number') {
      payload = body.subarray(offset, offset + itemHeader.length)
      offset += itemHeader.length
      if (body[offset] === 10) offset++
    } else {
      payload = line()
    }
    items.push({ header: itemHeader, payload })
  }
  return { header, items }
}

/** Spans of a `span` item (v2: `{ items: [...] }`, attributes as `{ value, type }`). */
function fromSpanItem(payload: Json, sdk: string): IngestedSpan[] {
  const items = Array.isArray(payload.items) ? (payload.items as Json[]) : [payload]
  return items.map((span) => {
    const attributes: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries((span.attributes ?? {}) as Record<string, { value?: unknown }>)) {
      attributes[key] = entry && typeof entry === 'object' && 'value' in entry ? entry.value : entry
    }
    return {
      traceId: String(span.trace_id),
      spanId: String(span.span_id),
      parentSpanId: str(span.parent_span_id),
      name: String(span.name ?? ''),
      op: str(attributes['sentry.op']),
      origin: str(attributes['sentry.origin']),
      status: str(span.status),
      segment: span.is_segment === true,
      sdk,
      start: Number(span.start_timestamp ?? 0),
      attributes,
    }
  })
}

/** The transaction's own span (`contexts.trace`) and its child spans. */
function fromTransaction(event: Json, sdk: string): IngestedSpan[] {
  const trace = ((event.contexts as Json | undefined)?.trace ?? {}) as Json
  const root: IngestedSpan = {
    traceId: String(trace.trace_id),
    spanId: String(trace.span_id),
    parentSpanId: str(trace.parent_span_id),
    name: String(event.transaction ?? ''),
    op: str(trace.op),
    origin: str(trace.origin),
    status: str(trace.status),
    segment: true,
    sdk,
    start: Number(event.start_timestamp ?? 0),
    attributes: (trace.data ?? {}) as Record<string, unknown>,
  }
  const children = ((event.spans ?? []) as Json[]).map((span) => ({
    traceId: String(span.trace_id ?? root.traceId),
    spanId: String(span.span_id),
    parentSpanId: str(span.parent_span_id),
    name: String(span.description ?? ''),
    op: str(span.op),
    origin: str(span.origin),
    status: str(span.status),
    segment: false,
    sdk,
    start: Number(span.start_timestamp ?? 0),
    attributes: (span.data ?? {}) as Record<string, unknown>,
  }))
  return [root, ...children]
}

export async function startIngest(): Promise<Ingest> {
  const spans: IngestedSpan[] = []
  const server = createServer((req, res) => {
    // Browser SDKs post cross-origin.
    res.setHeader('Access-Control-Allow-Origin', '*')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Allow-Methods': 'POST' })
      res.end()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      try {
        let body = Buffer.concat(chunks)
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body)
        const { header, items } = parseEnvelope(body)
        const sdk = String((header.sdk as Json | undefined)?.name ?? 'unknown')
        for (const item of items) {
          if (item.header.type === 'span') spans.push(...fromSpanItem(JSON.parse(item.payload.toString('utf8')) as Json, sdk))
          if (item.header.type === 'transaction') spans.push(...fromTransaction(JSON.parse(item.payload.toString('utf8')) as Json, sdk))
        }
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end('{}')
      } catch (error) {
        res.writeHead(400)
        res.end(String(error))
      }
    })
  })
  server.keepAliveTimeout = 1
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    dsn: `http://public@127.0.0.1:${port}/1`,
    origin,
    spans,
    async waitFor(done, timeoutMs, describe) {
      const deadline = Date.now() + timeoutMs
      while (!done(spans)) {
        if (Date.now() > deadline) {
          throw new Error(`the ingest did not get the expected spans within ${timeoutMs} ms${describe ? `: ${describe()}` : ''}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return spans
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
