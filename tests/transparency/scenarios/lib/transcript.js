/**
 * What a scenario observed, in order: the test reads `window.__transcript` once
 * `done` is set and compares the original build's transcript with the rewritten one's.
 * Scripts that are not modules reach the same `note` through the global.
 */

const transcript = { entries: [], done: false, note }
window.__transcript = transcript

/** Record one observation under a label. */
export function note(label, value) {
  transcript.entries.push([label, describe(value)])
}

/** Run an action and record its value, or what it threw or rejected with. */
export async function observe(label, action) {
  try {
    note(label, await action())
  } catch (error) {
    note(label, thrown(error))
  }
}

/** Runs the scenario, then tells the test it is over, however it ended. */
export function scenario(body) {
  Promise.resolve()
    .then(body)
    .catch((error) => note('uncaught', thrown(error)))
    .finally(() => {
      transcript.done = true
    })
}

/** An error (or any rejection value) as the app could tell it apart: its class, name and message. */
export function thrown(error) {
  if (error && typeof error === 'object' && 'message' in error) {
    return { thrown: error.constructor && error.constructor.name, name: error.name, message: error.message }
  }
  return { thrown: typeof error, value: String(error) }
}

/** A fetch Response as the app sees it. */
export async function responseOf(response) {
  return {
    isResponse: response instanceof Response,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    type: response.type,
    redirected: response.redirected,
    url: response.url,
    contentType: response.headers.get('content-type'),
    echo: response.headers.get('x-echo'),
    body: await response.text(),
  }
}

/** A finished XMLHttpRequest as the app sees it. */
export function xhrOf(xhr) {
  return {
    readyState: xhr.readyState,
    status: xhr.status,
    statusText: xhr.statusText,
    responseURL: xhr.responseURL,
    contentType: xhr.getResponseHeader('content-type'),
    echo: xhr.getResponseHeader('x-echo'),
    responseText: xhr.responseType === '' || xhr.responseType === 'text' ? xhr.responseText : JSON.stringify(xhr.response),
  }
}

/** Settles when the XMLHttpRequest ends, with the events it fired on the way. */
export function finished(xhr) {
  const events = []
  return new Promise((resolve) => {
    for (const type of ['loadstart', 'load', 'error', 'abort', 'timeout']) xhr.addEventListener(type, () => events.push(type))
    xhr.addEventListener('loadend', () => resolve({ events, ...xhrOf(xhr) }))
  })
}

function describe(value) {
  if (value === undefined) return 'undefined'
  if (typeof value === 'function') return `function ${value.name}/${value.length}`
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  if (value instanceof Error || (typeof DOMException === 'function' && value instanceof DOMException)) return thrown(value)
  try {
    return JSON.parse(JSON.stringify(value))
  } catch {
    return String(value)
  }
}
