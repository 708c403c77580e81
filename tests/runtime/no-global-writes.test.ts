// @vitest-environment jsdom
/**
 * The runtime never writes a global nor changes a built-in prototype: loading it
 * and using every export leaves them exactly as they were.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startRecordServer, type RecordServer, setPageUrl } from '../helpers/record-server.js'

let server: RecordServer

beforeAll(async () => {
  server = await startRecordServer()
  setPageUrl(server.url)
})

afterAll(async () => {
  await server.close()
})

type Described = Map<PropertyKey, unknown[]>

/** Every own property of `target`, as the values and accessors that make it up. */
function describeObject(target: object): Described {
  const described: Described = new Map()
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(target, key)!
    described.set(key, [descriptor.value, descriptor.get, descriptor.set, descriptor.writable, descriptor.enumerable])
  }
  return described
}

/** Keys added, removed, or whose value or accessors are not the very same as before. */
function changedKeys(before: Described, after: Described): string[] {
  const keys = new Set([...before.keys(), ...after.keys()])
  return [...keys]
    .filter((key) => {
      const [a, b] = [before.get(key), after.get(key)]
      return !a || !b || a.some((part, i) => !Object.is(part, b[i]))
    })
    .map(String)
}

function snapshot() {
  const g = globalThis as unknown as Record<string, { prototype?: object }>
  const builtIns = [
    'Object',
    'Array',
    'Function',
    'Promise',
    'String',
    'RegExp',
    'Map',
    'WeakMap',
    'WeakSet',
    'Symbol',
    'Error',
    'URL',
    'Headers',
    'Request',
    'Response',
    'EventTarget',
    'XMLHttpRequest',
    'XMLHttpRequestEventTarget',
  ]
  // Read first: reading some of Node's globals turns their lazy getter into a value.
  const described = builtIns.map((name) => ({
    name,
    prototype: describeObject(g[name]!.prototype!),
    statics: describeObject(g[name]!),
  }))
  return {
    builtIns: described,
    fetch: globalThis.fetch,
    XMLHttpRequest: globalThis.XMLHttpRequest,
    open: XMLHttpRequest.prototype.open,
    send: XMLHttpRequest.prototype.send,
    setRequestHeader: XMLHttpRequest.prototype.setRequestHeader,
    globalNames: Object.getOwnPropertyNames(globalThis),
    globalSymbols: Object.getOwnPropertySymbols(globalThis),
    globals: describeObject(globalThis),
  }
}

it('loading and using every export changes no global and no built-in prototype', async () => {
  const meta = document.createElement('meta')
  meta.name = 'sentry-trace'
  meta.content = '12345678901234567890123456789012-1234567890123456-1'
  document.head.append(meta)

  const before = snapshot()

  await import('../../runtime/meta.js')
  const runtime = await import('../../runtime/index.js')
  const { default: axios } = await import('axios')
  runtime.configure({ propagateTraceparent: true })
  runtime.pickUpMetaTags()
  await runtime.tracedFetch(server.url, { headers: new Headers({ baggage: 'a=1' }) })
  await runtime.tracedFetch(new Request(server.url), { headers: [['x-custom', '1']] })
  await runtime.alwaysTracedFetch(new URL(server.url), { headers: { 'x-custom': '1' } })
  const xhr = new runtime.TracedXMLHttpRequest()
  xhr.open('GET', server.url)
  xhr.setRequestHeader('baggage', 'a=1')
  await new Promise((resolve) => {
    xhr.addEventListener('loadend', resolve)
    xhr.send()
  })
  const saved = runtime.traceFetchFunction(globalThis.fetch)
  expect(runtime.traceFetchIfGlobal(globalThis.fetch)).toBe(saved)
  expect(runtime.untraceFetchFunction(saved)).toBe(before.fetch)
  await saved(server.url)
  await runtime.traceFetchOn(globalThis).fetch(server.url)
  const viaRoot = new (runtime.traceXhrIfGlobal(globalThis.XMLHttpRequest))()
  viaRoot.open('GET', server.url)
  await new Promise((resolve) => {
    viaRoot.addEventListener('loadend', resolve)
    viaRoot.send()
  })
  await runtime.traceAxios(axios).get(server.url)
  await runtime.traceAxios(axios.create({ baseURL: server.url, adapter: 'fetch' })).get('x', { params: { a: 1 } })
  runtime.setTraceSource({ startRequest: () => ({ headers: { 'sentry-trace': 'x-y' }, end() {} }) })
  await runtime.tracedFetch(server.url)
  runtime.setTraceSource(undefined)
  expect(runtime.shouldAttachHeaders('/x', undefined, server.url)).toBe(true)
  expect(runtime.matchesSomeTarget('/x', ['x'])).toBe(true)

  // Everything really was traced, so every code path above ran.
  const traced = server.received().filter((request) => request.headers['sentry-trace'])
  expect(traced).toHaveLength(10)

  const after = snapshot()
  expect(after.fetch).toBe(before.fetch)
  expect(after.XMLHttpRequest).toBe(before.XMLHttpRequest)
  expect(after.open).toBe(before.open)
  expect(after.send).toBe(before.send)
  expect(after.setRequestHeader).toBe(before.setRequestHeader)
  expect(after.globalNames).toEqual(before.globalNames)
  expect(after.globalSymbols).toEqual(before.globalSymbols)
  expect(changedKeys(before.globals, after.globals)).toEqual([])
  const changedBuiltIns = before.builtIns.flatMap(({ name, prototype, statics }, i) => [
    ...changedKeys(prototype, after.builtIns[i]!.prototype).map((key) => `${name}.prototype.${key}`),
    ...changedKeys(statics, after.builtIns[i]!.statics).map((key) => `${name}.${key}`),
  ])
  expect(changedBuiltIns).toEqual([])
})
