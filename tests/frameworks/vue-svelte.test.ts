/**
 * Vue and Svelte apps scaffolded from create-vite's own templates, with components
 * that call fetch in every script language each framework supports, configured the
 * way the README says (the template's vite.config plus one plugin line), then built
 * with `vite build` and served by the dev server, and run in Chromium against a
 * loopback server that hands out the trace meta tags and records every request.
 */

import { cp, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { build, createServer, type InlineConfig, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../examples/harness/browser.js'
import type { Report } from '../../plugin/report.js'
import sentryTrace from '../../plugin/vite.js'
import { META_BAGGAGE, PARENT_SPAN_ID, TRACE_ID } from '../bundlers/helpers/page.js'
import { REPO_ROOT } from '../bundlers/helpers/paths.js'
import { startRecordServer, type RecordServer, type RecordedRequest } from '../helpers/record-server.js'

const require = createRequire(import.meta.url)
const TEMPLATES = join(REPO_ROOT, 'node_modules/create-vite')
// Its own folder: the SvelteKit test keeps its installed app under tests/.tmp/frameworks.
const WORK = join(REPO_ROOT, 'tests/.tmp/vue-svelte')
const REPORT = 'sentry-trace-report.json'
/** How long a page may take to send every request its components make. */
const PAGE_TIMEOUT_MS = 15_000

const META_TAGS = `<meta name="sentry-trace" content="${TRACE_ID}-${PARENT_SPAN_ID}-1"><meta name="baggage" content="${META_BAGGAGE}">`

/** A component the test adds to a scaffolded app: its file under `src/`, its source, the requests it makes. */
interface Component {
  file: string
  source: string
  /** Request paths that match `tracePropagationTargets` (`/api/...`). */
  traced: string[]
  /** Request paths that do not (`/other/...`). */
  untraced: string[]
}

interface App {
  template: 'vue' | 'vue-ts' | 'svelte' | 'svelte-ts'
  components: Component[]
  /** Puts the components on the page: edits the template's root component. */
  mount(root: string): Promise<void>
}

const vueSetup = (lang: '' | ' lang="ts"', name: string): Component => ({
  file: `components/${name}.vue`,
  source: `<script setup${lang}>
import { onMounted, ref } from 'vue'
const status = ref${lang ? '<number>' : ''}(0)
onMounted(async () => {
  const response${lang ? ': Response' : ''} = await fetch('/api/${name}')
  status.value = response.status
  await fetch('/other/${name}')
})
</script>

<template>
  <p class="${name}">{{ status }}</p>
</template>
`,
  traced: [`/api/${name}`],
  untraced: [`/other/${name}`],
})

const vueOptions = (lang: '' | ' lang="ts"', name: string): Component => ({
  file: `components/${name}.vue`,
  source: `<script${lang}>
${lang ? "import { defineComponent } from 'vue'\n\nexport default defineComponent({" : 'export default {'}
  data: () => ({ status: 0 }),
  mounted() {
    this.load()
  },
  methods: {
    async load() {
      const response = await fetch('/api/${name}')
      this.status = response.status
    },
  },
}${lang ? ')' : ''}
</script>

<template>
  <p class="${name}">{{ status }}</p>
</template>
`,
  traced: [`/api/${name}`],
  untraced: [],
})

const svelteComponent = (lang: '' | ' lang="ts"', name: string): Component => ({
  file: `lib/${name}.svelte`,
  source: `<script${lang}>
  import { onMount } from 'svelte'
  let status${lang ? ': number' : ''} = $state(0)
  onMount(() => {
    fetch('/api/${name}').then((response${lang ? ': Response' : ''}) => (status = response.status))
    fetch('/other/${name}')
  })
</script>

<p class="${name}">{status}</p>
`,
  traced: [`/api/${name}`],
  untraced: [`/other/${name}`],
})

/** Adds `<Name />` for each component to the template's `App.vue`. */
const mountInVue = (components: Component[]) => async (root: string) => {
  const file = join(root, 'src/App.vue')
  let app = await readFile(file, 'utf8')
  const names = components.map((component) => /(\w+)\.vue$/.exec(component.file)![1]!)
  app = app.replace(/<script setup([^>]*)>\n/, (open) => open + names.map((name) => `import ${name} from './components/${name}.vue'\n`).join(''))
  app = app.replace('</template>', `${names.map((name) => `  <${name} />\n`).join('')}</template>`)
  await writeFile(file, app)
}

/** Adds `<Name />` for each component to the template's `App.svelte`. */
const mountInSvelte = (components: Component[]) => async (root: string) => {
  const file = join(root, 'src/App.svelte')
  let app = await readFile(file, 'utf8')
  const names = components.map((component) => /(\w+)\.svelte$/.exec(component.file)![1]!)
  app = app.replace(/<script([^>]*)>\n/, (open) => open + names.map((name) => `  import ${name} from './lib/${name}.svelte'\n`).join(''))
  app += names.map((name) => `<${name} />\n`).join('')
  await writeFile(file, app)
}

function app(template: App['template'], components: Component[]): App {
  return { template, components, mount: template.startsWith('vue') ? mountInVue(components) : mountInSvelte(components) }
}

const APPS: App[] = [
  app('vue', [vueSetup('', 'SetupJs'), vueOptions('', 'OptionsJs')]),
  app('vue-ts', [vueSetup(' lang="ts"', 'SetupTs'), vueOptions(' lang="ts"', 'OptionsTs'), vueOptions('', 'OptionsPlain')]),
  app('svelte', [svelteComponent('', 'SvelteJs')]),
  app('svelte-ts', [svelteComponent(' lang="ts"', 'SvelteTs'), svelteComponent('', 'SveltePlain')]),
]

/**
 * The template as `npm create vite` writes it, with its dependencies pointed at the
 * packages installed here (`file:` paths). Packages it names only for editors and type
 * checks (`@vue/tsconfig`, `@tsconfig/svelte`, `svelte-check`, `vue-tsc`) are not
 * installed: they are dropped, with the `extends` of its tsconfig.app.json, which Vite
 * reads when it strips TypeScript.
 */
async function scaffold(app: App): Promise<string> {
  const root = join(WORK, app.template)
  await rm(root, { recursive: true, force: true })
  await mkdir(WORK, { recursive: true })
  await cp(join(TEMPLATES, `template-${app.template}`), root, { recursive: true })
  await rename(join(root, '_gitignore'), join(root, '.gitignore'))
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>
  for (const field of ['dependencies', 'devDependencies'] as const) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      let installed: string | undefined
      try {
        installed = require.resolve(`${name}/package.json`, { paths: [REPO_ROOT] }).replace(/\/package\.json$/, '')
      } catch {}
      if (installed) manifest[field]![name] = `file:${installed}`
      else delete manifest[field]![name]
    }
  }
  await writeFile(join(root, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  if ((await readdir(root)).includes('tsconfig.app.json')) {
    const file = join(root, 'tsconfig.app.json')
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^\s*"extends": "[^"]*",\n/m, ''))
  }
  for (const component of app.components) {
    await mkdir(join(root, 'src', component.file, '..'), { recursive: true })
    await writeFile(join(root, 'src', component.file), component.source)
  }
  await app.mount(root)
  return root
}

/** The one line the README asks for, added to the template's own vite.config. */
const pluginLine = () => sentryTrace({ tracePropagationTargets: [/^\/api/], report: REPORT })

function viteConfig(root: string, withPlugin: boolean): InlineConfig {
  return {
    root,
    logLevel: 'silent',
    envDir: false,
    cacheDir: join(root, 'node_modules/.vite'),
    plugins: withPlugin ? [pluginLine()] : [],
  }
}

// One loopback server: a build's files (its HTML with the meta tags, as a server
// rendering the page would), and the app's requests under /api/ and /other/, recorded.
let server: RecordServer
let serving: string | undefined
let browser: Browser

beforeAll(async () => {
  server = await startRecordServer({
    respond(request, response) {
      const path = request.url.split('?')[0]!
      if (/^\/(?:api|other)\//.test(path) || !serving) return false
      const file = join(serving, path === '/' ? 'index.html' : path)
      readFile(file).then(
        (content) => {
          const html = file.endsWith('.html')
          response.writeHead(200, { 'Content-Type': html ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' })
          response.end(html ? content.toString('utf8').replace('<head>', `<head>${META_TAGS}`) : content)
        },
        () => response.writeHead(404).end(),
      )
      return true
    },
  })
  browser = await launchBrowser({ 'app.test': Number(new URL(server.origin).port) })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await rm(WORK, { recursive: true, force: true })
})

/** Opens `url`, waits (bounded) until every path in `expected` was requested, and returns the app's requests. */
async function runPage(url: string, expected: string[]): Promise<RecordedRequest[]> {
  server.requests.length = 0
  const appRequests = () => server.received().filter((request) => /^\/(?:api|other)\//.test(request.url))
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  try {
    await page.goto(url, { timeout: PAGE_TIMEOUT_MS })
    const deadline = Date.now() + PAGE_TIMEOUT_MS
    while (!expected.every((path) => appRequests().some((request) => request.url === path)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  } finally {
    await page.close()
  }
  expect(errors, 'errors on the page').toEqual([])
  const requests = appRequests()
  expect(requests.map((request) => request.url).sort()).toEqual(expect.arrayContaining(expected))
  return requests
}

/** Every value sent for a header, however often it was sent (Node joins repeats in `headers`). */
function headerValues(request: RecordedRequest, name: string): string[] {
  const values: string[] = []
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]!.toLowerCase() === name) values.push(request.rawHeaders[index + 1]!)
  }
  return values
}

/** Every /api request continues the meta tags' trace with exactly one header; /other requests carry none. */
function expectTraced(requests: RecordedRequest[], app: App): void {
  for (const path of app.components.flatMap((component) => component.traced)) {
    const matching = requests.filter((request) => request.url === path)
    expect(matching.length, path).toBeGreaterThan(0)
    for (const request of matching) {
      const values = headerValues(request, 'sentry-trace')
      expect(values, `${path}: one sentry-trace`).toHaveLength(1)
      expect(values[0], path).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`))
      expect(request.headers.baggage, path).toContain(`sentry-trace_id=${TRACE_ID}`)
    }
  }
  for (const path of app.components.flatMap((component) => component.untraced)) {
    for (const request of requests.filter((candidate) => candidate.url === path)) {
      expect(headerValues(request, 'sentry-trace'), path).toEqual([])
      expect(headerValues(request, 'baggage'), path).toEqual([])
    }
  }
}

/** Where each component's `fetch('/api/...')` is in its file: what the report must say. */
function expectedSites(app: App): Array<{ file: string; line: number; column: number; url: string }> {
  return app.components.flatMap((component) =>
    component.traced.map((url) => {
      const lines = component.source.split('\n')
      const line = lines.findIndex((text) => text.includes(`fetch('${url}')`))
      return { file: `src/${component.file}`, line: line + 1, column: lines[line]!.indexOf(`fetch('${url}')`), url }
    }),
  )
}

const expectedPaths = (app: App) => app.components.flatMap((component) => [...component.traced, ...component.untraced])

describe.each(APPS)('create-vite template-$template', (app) => {
  let root: string

  beforeAll(async () => {
    root = await scaffold(app)
  })

  it('vite build: every component request continues the page trace, and the report places the sites in the components', async () => {
    await build({ ...viteConfig(root, true), build: { outDir: 'dist', emptyOutDir: true } })
    serving = join(root, 'dist')
    try {
      expectTraced(await runPage(`http://app.test/`, expectedPaths(app)), app)
    } finally {
      serving = undefined
    }
    const report = JSON.parse(await readFile(join(root, REPORT), 'utf8')) as Report
    const sites = report.sites.map(({ file, line, column, url }) => ({ file, line, column, url }))
    expect(sites).toEqual(expect.arrayContaining(expectedSites(app)))
    // The /other requests are reported too (decided `never`): one site per fetch call.
    expect(report.summary.sites).toBe(expectedPaths(app).length)
    expect(report.summary.never).toBe(expectedPaths(app).length - expectedSites(app).length)
  })

  it('vite dev: the same, served module by module', async () => {
    const vite: ViteDevServer = await createServer({
      ...viteConfig(root, true),
      plugins: [
        pluginLine(),
        { name: 'meta-tags', transformIndexHtml: () => [{ tag: 'meta', attrs: { name: 'sentry-trace', content: `${TRACE_ID}-${PARENT_SPAN_ID}-1` } }, { tag: 'meta', attrs: { name: 'baggage', content: META_BAGGAGE } }] },
      ],
      server: {
        host: '127.0.0.1',
        port: 0,
        hmr: false,
        fs: { allow: [REPO_ROOT] },
        proxy: { '/api': server.origin, '/other': server.origin },
      },
    })
    try {
      await vite.listen()
      const origin = vite.resolvedUrls!.local[0]!
      expectTraced(await runPage(origin, expectedPaths(app)), app)
      // Server-side rendering of the same component is left alone.
      const ssr = await vite.environments.ssr!.transformRequest(`/src/${app.components[0]!.file}`)
      expect(ssr!.code).toContain('fetch(')
      expect(ssr!.code).not.toContain('configured-runtime')
    } finally {
      await vite.close()
    }
  })
})

describe('without the plugin', () => {
  it('the same app sends its requests without trace headers (the checks above can fail)', async () => {
    const vue = APPS[1]!
    const root = await scaffold(vue)
    await build({ ...viteConfig(root, false), build: { outDir: 'dist', emptyOutDir: true } })
    serving = join(root, 'dist')
    let requests: RecordedRequest[]
    try {
      requests = await runPage(`http://app.test/`, expectedPaths(vue))
    } finally {
      serving = undefined
    }
    for (const request of requests) {
      expect(request.headers['sentry-trace'], request.url).toBeUndefined()
      expect(request.headers.baggage, request.url).toBeUndefined()
    }
  })
})
