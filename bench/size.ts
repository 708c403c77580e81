/**
 * Part 3: bytes shipped to the browser, min+gzip, every bundle built the same way
 * (esbuild: bundle, minify, ESM, browser). Ours is what the plugin adds to an app:
 * the same small app built with the plugin minus built without it, so the runtime,
 * the build's configuration and the rewritten call sites all count. axios is
 * external in both builds (the app ships it either way). The peers are their
 * documented setup, bundled from an entry of a few lines.
 */

import * as esbuild from 'esbuild'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { BENCH_TARGETS, COMPILED_DIR, compiled, REPO_ROOT, TMP_DIR } from './compiled.js'

const SIZE_DIR = join(TMP_DIR, 'size')

/** The packages the OpenTelemetry entry needs; measured only when all are installed. */
export const OTEL_PACKAGES = ['@opentelemetry/sdk-trace-web', '@opentelemetry/instrumentation', '@opentelemetry/instrumentation-fetch']

const ENTRIES = {
  ours: `import axios from 'axios'
export const viaFetch = (url: string) => fetch(url)
export const viaKnownUrl = () => fetch('/api/me')
export const viaXhr = () => new XMLHttpRequest()
export const viaAxios = (url: string) => axios.get(url)
`,
  oursFetchOnly: `export const viaFetch = (url: string) => fetch(url)
export const viaKnownUrl = () => fetch('/api/me')
`,
  sentryInit: `import { init } from '@sentry/browser'
init({ dsn: 'https://public@o0.ingest.sentry.io/0' })
`,
  sentryTracing: `import { browserTracingIntegration, init } from '@sentry/browser'
init({ dsn: 'https://public@o0.ingest.sentry.io/0', integrations: [browserTracingIntegration()], tracesSampleRate: 1 })
`,
  /** An app that already ships the SDK, with its own fetch/XHR tracing off as the plugin's docs say. */
  sdkApp: `import { browserTracingIntegration, init } from '@sentry/browser'
init({ dsn: 'https://public@o0.ingest.sentry.io/0', integrations: [browserTracingIntegration({ traceFetch: false, traceXHR: false })], tracesSampleRate: 1 })
export const viaFetch = (url: string) => fetch(url)
export const viaKnownUrl = () => fetch('/api/me')
`,
  otel: `import { WebTracerProvider } from '@opentelemetry/sdk-trace-web'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch'
const provider = new WebTracerProvider()
provider.register()
registerInstrumentations({ instrumentations: [new FetchInstrumentation({ propagateTraceHeaderCorsUrls: [/^\\/api/] })] })
`,
}

export interface Bundle {
  minified: number
  gzip: number
  /** Minified bytes per input module, largest first. */
  modules: Array<{ path: string; bytes: number }>
}

export interface SizeResult {
  /** What the plugin adds: fetch + XHR + axios + meta pickup. */
  ours: { gzip: number; minified: number; bundle: Bundle }
  oursFetchOnly: { gzip: number; minified: number; bundle: Bundle }
  /** What the plugin adds to an app that already uses @sentry/browser (SDK interop on): the runtime and the connector. */
  oursOnSdk: { gzip: number; minified: number; bundle: Bundle }
  sentryInit: Bundle
  sentryTracing: Bundle
  /** Undefined when the OpenTelemetry packages are not installed. */
  otel?: Bundle
  otelMissing: string[]
}

function gzipSize(contents: Uint8Array): number {
  return gzipSync(contents, { level: 9 }).length
}

async function bundle(name: keyof typeof ENTRIES, plugins: esbuild.Plugin[] = []): Promise<Bundle> {
  const entry = join(SIZE_DIR, `${name}.ts`)
  const result = await esbuild.build({
    absWorkingDir: SIZE_DIR,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: ['axios'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins,
  })
  const output = result.outputFiles[0]!
  const [meta] = Object.values(result.metafile.outputs)
  const modules = Object.entries(meta!.inputs)
    .map(([path, input]) => ({ path: displayModule(path), bytes: input.bytesInOutput }))
    .filter((module) => module.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
  return { minified: output.contents.length, gzip: gzipSize(output.contents), modules }
}

function displayModule(path: string): string {
  const absolute = path.startsWith('/') ? path : join(SIZE_DIR, path.replace(/^[a-z-]+:/, ''))
  if (absolute.startsWith(COMPILED_DIR)) return relative(COMPILED_DIR, absolute).replace(/\.js$/, '.ts')
  const inModules = /node_modules\/(.*)$/.exec(absolute)
  if (inModules) return inModules[1]!
  return relative(REPO_ROOT, absolute)
}

/** Packages esbuild could not resolve from the bench's entries. */
export function missingPackages(names: readonly string[]): string[] {
  const require = createRequire(join(SIZE_DIR, 'entry.js'))
  return names.filter((name) => {
    try {
      require.resolve(name)
      return false
    } catch {
      return true
    }
  })
}

export async function measureSize(): Promise<SizeResult> {
  mkdirSync(SIZE_DIR, { recursive: true })
  for (const [name, source] of Object.entries(ENTRIES)) writeFileSync(join(SIZE_DIR, `${name}.ts`), source)
  const { default: sentryTrace } = (await import(pathToFileURL(compiled('plugin/esbuild.js')).href)) as {
    default: (options: object) => esbuild.Plugin
  }
  // Standalone unless said otherwise: the repository's own package.json lists the SDK.
  const plugin = (sentry: string | false) => [sentryTrace({ tracePropagationTargets: BENCH_TARGETS, sentry })]
  const added = async (name: 'ours' | 'oursFetchOnly' | 'sdkApp', sentry: string | false = false) => {
    const bare = await bundle(name)
    const traced = await bundle(name, plugin(sentry))
    return { gzip: traced.gzip - bare.gzip, minified: traced.minified - bare.minified, bundle: traced }
  }
  const otelMissing = missingPackages(OTEL_PACKAGES)
  return {
    ours: await added('ours'),
    oursFetchOnly: await added('oursFetchOnly'),
    oursOnSdk: await added('sdkApp', '@sentry/browser'),
    sentryInit: await bundle('sentryInit'),
    sentryTracing: await bundle('sentryTracing'),
    ...(otelMissing.length ? {} : { otel: await bundle('otel') }),
    otelMissing,
  }
}
