import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Site } from '../src/analyze.js'
import { LOG_PREFIX } from '../src/names.js'
import { describe, OptionsError } from '../src/options.js'
import type { PluginOptions } from './options.js'
import { SiteLog } from './report.js'

/**
 * What `withSentryTrace` (plugin/next.ts) hands to the Turbopack loader
 * (plugin/next-loader.ts): Turbopack passes loader options as JSON values only.
 */
export interface NextLoaderOptions {
  /** The plugin options, RegExps written as `{ [REGEXP]: [source, flags] }`. */
  plugin: JsonValue
  /** Where the loader keeps the sites it found, relative to the project folder. */
  records: string
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** The key that marks a RegExp written as JSON; no option has it. */
const REGEXP = '$regexp'

/** The options as JSON: RegExps as `{ $regexp: [source, flags] }`, anything else that JSON cannot carry refused. */
export function optionsToJson(value: unknown, path = 'options'): JsonValue {
  if (value instanceof RegExp) return { [REGEXP]: [value.source, value.flags] }
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value
  if (Array.isArray(value)) return value.map((item, index) => optionsToJson(item, `${path}[${index}]`))
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const json: Record<string, JsonValue> = {}
    for (const [key, item] of Object.entries(value)) if (item !== undefined) json[key] = optionsToJson(item, `${path}.${key}`)
    return json
  }
  throw new OptionsError(`${LOG_PREFIX} \`${path}\` cannot be handed to Turbopack's loader (it takes strings, numbers, booleans, arrays, plain objects and RegExps), got ${describe(value)}`)
}

/** The options again, RegExps and all. */
export function optionsFromJson(value: JsonValue): PluginOptions {
  return revive(value) as PluginOptions
}

function revive(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(revive)
  if (value === null || typeof value !== 'object') return value
  const regexp = value[REGEXP]
  if (Array.isArray(regexp) && Object.keys(value).length === 1) return new RegExp(regexp[0] as string, regexp[1] as string)
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revive(item)]))
}

/** The sites of one module, as the loader keeps them for the end of the build. */
export interface SiteRecord {
  /** The module's path. */
  file: string
  /** The file's content hash when its sites were found: a file changed since is not reported from this record. */
  hash: string
  sites: Site[]
}

export function contentHash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16)
}

/** The record's file name in the records folder: one per module. */
export function recordName(file: string): string {
  return `${contentHash(file)}.json`
}

/**
 * The sites the loader recorded, for modules that are still as they were then: a
 * Turbopack cache may keep a module's build (and not run the loader again) while
 * the record stays; a record of a file changed or removed since is left out.
 */
export function readSiteRecords(projectDir: string, records: string): SiteLog {
  const log = new SiteLog()
  const folder = resolve(projectDir, records)
  if (!existsSync(folder)) return log
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.json')) continue
    let record: SiteRecord
    try {
      record = JSON.parse(readFileSync(join(folder, name), 'utf8')) as SiteRecord
    } catch {
      continue
    }
    const file = resolve(projectDir, record.file)
    if (!existsSync(file) || contentHash(readFileSync(file)) !== record.hash) continue
    log.record(file, record.sites)
  }
  return log
}
