/**
 * The example app's requests: fetch, XMLHttpRequest and axios, each to the page's
 * own backend, to a second instrumented API, and to a third party that must not
 * see trace headers. Nothing here knows about tracing: the build adds it.
 *
 * Every URL carries `via=<transport>` so the servers (and the tests) can tell the
 * requests apart.
 */

import axios from 'axios'

/** The instrumented API on another origin (a `tracePropagationTargets` entry). */
export const API_ORIGIN = 'http://api.test'
/** An origin that is not a target: it must get no trace header and no CORS preflight. */
export const THIRD_PARTY_ORIGIN = 'http://third-party.test'

const api = axios.create({ baseURL: `${API_ORIGIN}/api` })

function xhr(method: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open(method, url)
    request.onload = () => resolve(request.status)
    request.onerror = () => reject(new Error(`${method} ${url} failed`))
    request.send()
  })
}

async function status(response: Promise<Response>): Promise<number> {
  return (await response).status
}

export interface ExampleRequest {
  /** `same-origin`, `api` or `third-party`. */
  target: 'same-origin' | 'api' | 'third-party'
  transport: 'fetch' | 'xhr' | 'axios'
  send(): Promise<number>
}

export const requests: ExampleRequest[] = [
  // Same origin: `fetch` is decided at build time (always traced); XHR and axios at run time.
  { target: 'same-origin', transport: 'fetch', send: () => status(fetch('/api/items?via=fetch')) },
  { target: 'same-origin', transport: 'xhr', send: () => xhr('GET', '/api/items?via=xhr') },
  { target: 'same-origin', transport: 'axios', send: async () => (await axios.get('/api/items', { params: { via: 'axios' } })).status },
  // The second origin: it answers the CORS preflight that the trace headers cause.
  { target: 'api', transport: 'fetch', send: () => status(fetch(`${API_ORIGIN}/api/orders?via=fetch`)) },
  { target: 'api', transport: 'xhr', send: () => xhr('GET', `${API_ORIGIN}/api/orders?via=xhr`) },
  { target: 'api', transport: 'axios', send: async () => (await api.get('/orders', { params: { via: 'axios' } })).status },
  // A third party: `fetch` is left untouched by the build (never traced).
  { target: 'third-party', transport: 'fetch', send: () => status(fetch(`${THIRD_PARTY_ORIGIN}/pixel?via=fetch`)) },
  { target: 'third-party', transport: 'xhr', send: () => xhr('GET', `${THIRD_PARTY_ORIGIN}/pixel?via=xhr`) },
  { target: 'third-party', transport: 'axios', send: async () => (await axios.get(`${THIRD_PARTY_ORIGIN}/pixel`, { params: { via: 'axios' } })).status },
]

export interface ExampleResult {
  target: ExampleRequest['target']
  transport: ExampleRequest['transport']
  /** The HTTP status, or the error message. */
  outcome: number | string
}

/** Send every request, one after the other, and show the outcomes on the page. */
export async function run(): Promise<ExampleResult[]> {
  const results: ExampleResult[] = []
  for (const { target, transport, send } of requests) {
    let outcome: number | string
    try {
      outcome = await send()
    } catch (error) {
      outcome = String(error)
    }
    results.push({ target, transport, outcome })
  }
  const view = document.getElementById('results')
  if (view) {
    view.textContent = JSON.stringify(results, null, 2)
    view.dataset.done = 'true'
  }
  return results
}
