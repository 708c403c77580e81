/**
 * The app every build and transform figure is measured on: 1,000 TypeScript
 * modules (entry, 2 API modules, 10 feature indexes, 987 feature modules),
 * 100 of them making requests, with axios, ky and preact as dependencies.
 * Deterministic: the same seed gives the same files, byte for byte.
 *
 * The request modules mix the call sites an app really has (weights in
 * `REQUEST_KINDS`): literal and template `/api` paths, a partner API through a
 * local constant or an imported one, wrappers that take the URL as a parameter,
 * third-party beacons, axios, XMLHttpRequest, and ky (whose own fetch call is in
 * node_modules). About 20 more modules mention `fetch` without a call site (`cache.fetch(key)`,
 * a comment), so the transform must parse them to find nothing.
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const MODULE_COUNT = 1000
export const FEATURES = 10
export const REQUEST_MODULES = 100
const CANDIDATE_ONLY_MODULES = 20

export interface GeneratedApp {
  root: string
  /** Paths relative to root, `src/...`. */
  modules: string[]
  /** Modules written with request code. */
  requestModules: Set<string>
}

/** mulberry32: small, seedable, good enough to vary generated code. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type RequestKind = 'literal' | 'template' | 'localConst' | 'importedConst' | 'wrapper' | 'thirdParty' | 'relative' | 'axios' | 'xhr' | 'ky'

/** How often each kind of request code appears in a request module (relative weights). */
const REQUEST_KINDS: Array<[RequestKind, number]> = [
  ['literal', 25],
  ['template', 20],
  ['localConst', 6],
  ['importedConst', 8],
  ['wrapper', 10],
  ['thirdParty', 6],
  ['relative', 3],
  ['axios', 12],
  ['xhr', 4],
  ['ky', 6],
]

function pick<T>(next: () => number, weighted: Array<[T, number]>): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = next() * total
  for (const [value, weight] of weighted) {
    roll -= weight
    if (roll < 0) return value
  }
  return weighted[weighted.length - 1]![0]
}

const RESOURCES = ['users', 'orders', 'invoices', 'projects', 'teams', 'comments', 'files', 'reports', 'alerts', 'tags']

function requestCode(kind: RequestKind, n: number, next: () => number): { imports: string[]; body: string } {
  const resource = RESOURCES[Math.floor(next() * RESOURCES.length)]!
  switch (kind) {
    case 'literal':
      return {
        imports: [],
        body: `export async function load${n}(): Promise<Item${n}[]> {
  const response = await fetch('/api/${resource}/summary')
  if (!response.ok) throw new Error(\`load${n} failed: \${response.status}\`)
  return (await response.json()) as Item${n}[]
}`,
      }
    case 'template':
      return {
        imports: [],
        body: `export async function load${n}(id: number, page = 1): Promise<Item${n}> {
  const response = await fetch(\`/api/${resource}/\${id}?page=\${page}\`, { headers: { accept: 'application/json' } })
  return (await response.json()) as Item${n}
}`,
      }
    case 'localConst':
      return {
        imports: [],
        body: `const PARTNER = 'https://api.example.com/v2'

export async function load${n}(id: number): Promise<Item${n}> {
  const response = await fetch(\`\${PARTNER}/${resource}/\${id}\`, { credentials: 'include' })
  return (await response.json()) as Item${n}
}`,
      }
    case 'importedConst':
      return {
        imports: [`import { API_BASE } from '../../api/config'`],
        body: `export async function load${n}(id: number): Promise<Item${n}> {
  const response = await fetch(\`\${API_BASE}/${resource}/\${id}\`)
  return (await response.json()) as Item${n}
}`,
      }
    case 'wrapper':
      return {
        imports: [],
        body: `async function getJson${n}<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers } })
  if (!response.ok) throw new Error(\`\${url}: \${response.status}\`)
  return (await response.json()) as T
}

export function load${n}(id: number): Promise<Item${n}> {
  return getJson${n}<Item${n}>('/api/${resource}/' + id)
}`,
      }
    case 'thirdParty':
      return {
        imports: [],
        body: `export function load${n}(event: string): Promise<Response> {
  return fetch('https://collect.analytics-vendor.example/v1/event', { method: 'POST', body: event, keepalive: true })
}`,
      }
    case 'relative':
      return {
        imports: [],
        body: `export async function load${n}(): Promise<Item${n}[]> {
  const response = await fetch('static/${resource}.json')
  return (await response.json()) as Item${n}[]
}`,
      }
    case 'axios':
      return next() < 0.5
        ? {
            imports: [`import axios from 'axios'`],
            body: `export async function load${n}(id: number): Promise<Item${n}> {
  const { data } = await axios.get<Item${n}>(\`/api/${resource}/\${id}\`)
  return data
}`,
          }
        : {
            imports: [`import { http } from '../../api/client'`],
            body: `export async function load${n}(id: number): Promise<Item${n}> {
  const { data } = await http.post<Item${n}>('/${resource}', { id })
  return data
}`,
          }
    case 'xhr':
      return {
        imports: [],
        body: `export function load${n}(id: number): Promise<Item${n}> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('GET', '/api/${resource}/' + id)
    xhr.responseType = 'json'
    xhr.onload = () => resolve(xhr.response as Item${n})
    xhr.onerror = () => reject(new Error('load${n} failed'))
    xhr.send()
  })
}`,
      }
    case 'ky':
      return {
        imports: [`import ky from 'ky'`],
        body: `export function load${n}(id: number): Promise<Item${n}> {
  return ky.get(\`/api/${resource}/\${id}\`).json<Item${n}>()
}`,
      }
  }
}

/** Ordinary app code: types, a class, pure functions, a little preact. No request. */
function plainCode(n: number, next: () => number): { imports: string[]; body: string } {
  const usesPreact = next() < 0.15
  const lines = [
    `export enum Kind${n} {
  Primary = 'primary',
  Secondary = 'secondary',
  Archived = 'archived',
}

export type Status${n} = 'idle' | 'loading' | 'ready' | { error: string }

export class Store${n}<T extends { id: number }> {
  private readonly items = new Map<number, T>()
  private listeners: Array<(items: readonly T[]) => void> = []

  add(item: T): this {
    this.items.set(item.id, item)
    this.emit()
    return this
  }

  remove(id: number): boolean {
    const removed = this.items.delete(id)
    if (removed) this.emit()
    return removed
  }

  subscribe(listener: (items: readonly T[]) => void): () => void {
    this.listeners.push(listener)
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener)
    }
  }

  private emit(): void {
    const snapshot = [...this.items.values()]
    for (const listener of this.listeners) listener(snapshot)
  }
}

export function summarize${n}(items: readonly Item${n}[]): { total: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {}
  let total = 0
  for (const item of items) {
    total += item.score * ${1 + Math.floor(next() * 9)}
    byKind[item.kind] = (byKind[item.kind] ?? 0) + 1
  }
  return { total, byKind }
}

export const format${n} = (item: Item${n}): string =>
  \`\${item.id.toString().padStart(${2 + Math.floor(next() * 6)}, '0')} \${item.name.trim().toLowerCase()} (\${item.tags.join(', ')})\``,
  ]
  if (usesPreact) {
    lines.push(`export function View${n}(props: { items: Item${n}[] }) {
  return h('ul', { class: 'list-${n}' }, props.items.map((item) => h('li', { key: item.id }, format${n}(item))))
}`)
  }
  return { imports: usesPreact ? [`import { h } from 'preact'`] : [], body: lines.join('\n\n') }
}

/** Mentions `fetch` (so the cheap text check cannot skip it) without a call site. */
function candidateOnlyCode(n: number): string {
  return `// Entries are fetched lazily by the cache, never by this module.
export interface Cache${n} {
  fetch(key: string): Promise<unknown>
}

export async function warm${n}(cache: Cache${n}, keys: readonly string[]): Promise<number> {
  let warmed = 0
  for (const key of keys) {
    await cache.fetch(key)
    warmed++
  }
  return warmed
}`
}

function itemType(n: number): string {
  return `export interface Item${n} {
  id: number
  name: string
  kind: string
  score: number
  tags: readonly string[]
  meta?: Record<string, unknown>
}`
}

export function generateApp(root: string, seed = 20260101): GeneratedApp {
  rmSync(root, { recursive: true, force: true })
  const files = new Map<string, string>()
  const next = random(seed)
  const requestModules = new Set<string>()

  // The app's own manifest: the plugin looks for a Sentry SDK in the nearest one, and
  // this app has none (the standalone runtime is what is measured).
  files.set(
    'package.json',
    `${JSON.stringify({ name: 'bench-app', private: true, type: 'module', dependencies: { axios: '*', ky: '*', preact: '*' } }, null, 2)}\n`,
  )
  files.set(
    'index.html',
    `<!doctype html>
<html>
  <head><meta charset="utf-8" /><title>bench app</title></head>
  <body><div id="app"></div><script type="module" src="/src/main.ts"></script></body>
</html>
`,
  )
  files.set('src/api/config.ts', `export const API_BASE = 'https://api.example.com/v1'\n`)
  files.set(
    'src/api/client.ts',
    `import axios from 'axios'

export const http = axios.create({ baseURL: '/api', timeout: 10_000 })

export async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch('/api' + path, init)
  if (!response.ok) throw new Error(\`\${path}: \${response.status}\`)
  return (await response.json()) as T
}
`,
  )
  requestModules.add('src/api/client.ts')

  const leafCount = MODULE_COUNT - 1 - 2 - FEATURES
  const perFeature = Math.ceil(leafCount / FEATURES)
  // Spread the request and candidate-only modules evenly through the app.
  const requestEvery = leafCount / (REQUEST_MODULES - 1)
  const candidateEvery = leafCount / CANDIDATE_ONLY_MODULES
  const features: string[][] = Array.from({ length: FEATURES }, () => [])
  for (let n = 0; n < leafCount; n++) {
    const feature = Math.floor(n / perFeature)
    const name = `m${String(n).padStart(4, '0')}`
    const path = `src/features/f${feature}/${name}.ts`
    features[feature]!.push(name)
    const isRequest = Math.floor(n / requestEvery) !== Math.floor((n + 1) / requestEvery) && requestModules.size < REQUEST_MODULES
    const isCandidateOnly = !isRequest && Math.floor((n + 0.5) / candidateEvery) !== Math.floor((n + 1.5) / candidateEvery)
    const imports: string[] = []
    const calls: string[] = []
    // Each module uses one or two later modules of its feature: a DAG, like real app code.
    const last = Math.min(leafCount, (feature + 1) * perFeature)
    for (let k = 0, links = 1 + Math.floor(next() * 2); k < links; k++) {
      const target = n + 1 + Math.floor(next() * 12)
      if (target >= last) break
      const targetName = `m${String(target).padStart(4, '0')}`
      if (imports.some((line) => line.includes(`'./${targetName}'`))) continue
      imports.push(`import { run${target} } from './${targetName}'`)
      calls.push(`run${target}(depth - 1)`)
    }
    const plain = plainCode(n, next)
    imports.push(...plain.imports)
    const parts = [itemType(n), plain.body]
    if (isRequest) {
      requestModules.add(path)
      const kinds = 1 + Math.floor(next() * 2)
      for (let k = 0; k < kinds; k++) {
        const code = requestCode(pick(next, REQUEST_KINDS), n * 10 + k, next)
        for (const line of code.imports) if (!imports.includes(line)) imports.push(line)
        parts.push(itemType(n * 10 + k), code.body)
      }
    }
    if (isCandidateOnly) parts.push(candidateOnlyCode(n))
    parts.push(`export function run${n}(depth: number): number {
  if (depth <= 0) return ${n}
  const store = new Store${n}<Item${n}>()
  store.add({ id: ${n}, name: 'item ${n}', kind: Kind${n}.Primary, score: ${n % 7}, tags: ['a', 'b'] })
  return summarize${n}([]).total${calls.map((call) => ` + ${call}`).join('')}
}`)
    files.set(path, `${imports.join('\n')}${imports.length ? '\n\n' : ''}${parts.join('\n\n')}\n`)
  }

  for (let feature = 0; feature < FEATURES; feature++) {
    const names = features[feature]!
    const loaders = names.filter((name) => requestModules.has(`src/features/f${feature}/${name}.ts`))
    files.set(
      `src/features/f${feature}/index.ts`,
      `${names.map((name) => `import * as ${name} from './${name}'`).join('\n')}

export const modules = [${names.join(', ')}]

export function mount(depth: number): number {
  let total = 0
  for (const module of modules) {
    for (const [key, value] of Object.entries(module)) {
      if (key.startsWith('run') && typeof value === 'function') total += (value as (depth: number) => number)(depth)
    }
  }
  return total
}

export const loaders = [${loaders.map((name) => `${name}`).join(', ')}]
`,
    )
  }
  files.set(
    'src/main.ts',
    `${Array.from({ length: FEATURES }, (_, feature) => `import { mount as mount${feature} } from './features/f${feature}/index'`).join('\n')}
import { request } from './api/client'

const total = ${Array.from({ length: FEATURES }, (_, feature) => `mount${feature}(2)`).join(' + ')}
document.querySelector('#app')!.textContent = String(total)
void request('/session').catch(() => undefined)
`,
  )

  for (const [path, content] of files) {
    const file = join(root, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
  const modules = [...files.keys()].filter((path) => path.endsWith('.ts'))
  if (modules.length !== MODULE_COUNT) throw new Error(`generated ${modules.length} modules, expected ${MODULE_COUNT}`)
  if (requestModules.size !== REQUEST_MODULES) throw new Error(`generated ${requestModules.size} request modules, expected ${REQUEST_MODULES}`)
  return { root, modules, requestModules }
}
