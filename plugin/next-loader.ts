import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { transformResolved } from '../src/transform.js'
import { toPluginError, webpackError } from './errors.js'
import { contentHash, optionsFromJson, recordName, type NextLoaderOptions, type SiteRecord } from './next-shared.js'
import { resolvePluginOptions, type ResolvedPluginOptions } from './options.js'
import { detectSentrySdk, findRuntimeFile, runtimeModuleSource } from './virtual.js'

/** The part of webpack's loader context that this loader uses (Turbopack implements it too). */
interface LoaderContext {
  resourcePath: string
  /** webpack's module: `javascript/esm` for `.mjs` files and those of `"type": "module"` packages. Turbopack has none. */
  _module?: { type?: string }
  rootContext?: string
  getOptions(): NextLoaderOptions
  callback(error: Error | null, code?: string, map?: unknown): void
}

/** The file rewritten modules import; this loader serves the build's configured runtime in its place. */
const CONFIGURED_RUNTIME = findRuntimeFile('configured-runtime')

/**
 * Files that start the app in the browser: Next.js runs `instrumentation-client`
 * (in the project folder or `src/`) before the app's own code, so it imports the
 * configured runtime first (which reads the meta tags). Told by name: Turbopack's
 * `rootContext` may be the workspace's root, above the project.
 */
const CLIENT_ENTRY = /(?:^|[\\/])instrumentation-client\.[cm]?[jt]sx?$/
const DEPENDENCY = /[\\/]node_modules[\\/]/

interface LoaderSetup {
  options: ResolvedPluginOptions
  records: string
}

/** Turbopack hands every module the same options: resolved once per JSON text. */
const setups = new Map<string, LoaderSetup>()

function setupOf(options: NextLoaderOptions): LoaderSetup {
  const key = JSON.stringify(options)
  let setup = setups.get(key)
  if (!setup) setups.set(key, (setup = { options: resolvePluginOptions(optionsFromJson(options.plugin)), records: options.records }))
  return setup
}

/** A relative request from `file` to `target`, with `/`: no machine path is written into the module. */
function requestFrom(file: string, target: string): string {
  const path = relative(dirname(file), target).replace(/\\/g, '/')
  return path.startsWith('.') ? path : `./${path}`
}

/**
 * The loader of `withSentryTrace`, for Turbopack and webpack alike: rewrites one
 * browser module (the rules that run it apply to browser code only), and serves
 * the configured runtime.
 * In a production build it keeps the module's sites in the records folder, for the
 * report written after the compile (`compiler.runAfterProductionCompile`).
 */
export default function sentryTraceNextLoader(this: LoaderContext, source: string, map?: unknown): void {
  const { options, records } = setupOf(this.getOptions())
  const file = resolve(this.resourcePath)
  const root = this.rootContext || process.cwd()
  if (file === CONFIGURED_RUNTIME) {
    const sentrySdk = options.sentry === 'detect' ? detectSentrySdk(root) : options.sentry || undefined
    this.callback(null, runtimeModuleSource(options.rewrite, sentrySdk, { index: './index.js', sentry: './sentry.js' }))
    return
  }
  let result
  try {
    result = transformResolved(source, file, options.rewrite, {
      entry: CLIENT_ENTRY.test(file) && !DEPENDENCY.test(file),
      runtimeModule: requestFrom(file, CONFIGURED_RUNTIME),
      scripts: isStrictModule(file, this._module?.type) ? 'import' : 'require',
    })
  } catch (error) {
    const shaped = toPluginError(error)
    this.callback(shaped ? webpackError(shaped) : (error as Error))
    return
  }
  if (process.env.NODE_ENV === 'production') keepSites(join(root, records), file, result?.sites ?? [])
  if (result) this.callback(null, result.code, result.map)
  else this.callback(null, source, map)
}

/**
 * The file is parsed as a strict ES module, where `require` is not defined, so a
 * script among them must import the runtime: webpack says so (`javascript/esm`);
 * Turbopack does as Node does (`.mjs`, `.mts`, or a `"type": "module"` package).
 */
function isStrictModule(file: string, webpackType: string | undefined): boolean {
  if (webpackType !== undefined) return webpackType === 'javascript/esm'
  if (/\.m[jt]s$/.test(file)) return true
  if (/\.c[jt]s$/.test(file)) return false
  return packageType(dirname(file)) === 'module'
}

const packageTypes = new Map<string, string | undefined>()

/** The `type` of the nearest package.json at or above `dir`. */
function packageType(dir: string): string | undefined {
  if (packageTypes.has(dir)) return packageTypes.get(dir)
  let type: string | undefined
  const manifest = join(dir, 'package.json')
  if (existsSync(manifest)) {
    try {
      type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type
    } catch {
      type = undefined
    }
  } else if (dirname(dir) !== dir) {
    type = packageType(dirname(dir))
  }
  packageTypes.set(dir, type)
  return type
}

function keepSites(folder: string, file: string, sites: SiteRecord['sites']): void {
  const target = join(folder, recordName(file))
  if (!sites.length) {
    rmSync(target, { force: true })
    return
  }
  const record: SiteRecord = { file, hash: contentHash(readFileSync(file)), sites }
  mkdirSync(folder, { recursive: true })
  writeFileSync(target, JSON.stringify(record))
}
