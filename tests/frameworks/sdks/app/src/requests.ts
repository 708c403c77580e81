// What every page does once its SDK is initialised: the same requests through
// fetch (each shape of headers a caller may pass), XMLHttpRequest and axios, to
// paths that match tracePropagationTargets (/traced/) and to paths that do not.
import axios from 'axios'

export interface Outcome {
  path: string
  status: number
  /** What the server echoed of the request it got. */
  echoed: string
}

const echo = async (response: Response) => ((await response.json()) as { url: string }).url

function xhr(path: string, headers: Array<[string, string]> = []): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('GET', path)
    for (const [name, value] of headers) request.setRequestHeader(name, value)
    request.onload = () => resolve({ path, status: request.status, echoed: JSON.parse(request.responseText).url })
    request.onerror = () => reject(new Error(`XHR ${path} failed`))
    request.send()
  })
}

async function viaFetch(path: string, init?: RequestInit | Request): Promise<Outcome> {
  const response = init instanceof Request ? await fetch(init) : await fetch(path, init)
  return { path, status: response.status, echoed: await echo(response) }
}

async function viaAxios(path: string): Promise<Outcome> {
  const response = await axios.get(path)
  return { path, status: response.status, echoed: response.data.url }
}

export async function makeRequests(): Promise<Outcome[]> {
  const runtimeUrl = ['/traced', 'fetch-runtime'].join('/')
  const outcomes: Outcome[] = []
  // One after the other: the server sees them in this order.
  outcomes.push(await viaFetch('/traced/fetch'))
  outcomes.push(await viaFetch(runtimeUrl))
  outcomes.push(await viaFetch('/traced/fetch-request', new Request('/traced/fetch-request', { headers: { 'x-custom': 'request' } })))
  outcomes.push(await viaFetch('/traced/fetch-headers', { headers: new Headers({ 'x-custom': 'headers' }) }))
  outcomes.push(await viaFetch('/traced/fetch-pairs', { headers: [['x-custom', 'pairs']] }))
  outcomes.push(await viaFetch('/traced/fetch-object-baggage', { headers: { baggage: 'app=object' } }))
  outcomes.push(await viaFetch('/traced/fetch-pairs-baggage', { headers: [['Baggage', 'app=pairs']] }))
  outcomes.push(await xhr('/traced/xhr'))
  outcomes.push(await xhr('/traced/xhr-baggage', [['baggage', 'app=xhr']]))
  outcomes.push(await viaAxios('/traced/axios'))
  outcomes.push(await viaFetch('/other/fetch'))
  outcomes.push(await xhr('/other/xhr'))
  outcomes.push(await viaAxios('/other/axios'))
  return outcomes
}
