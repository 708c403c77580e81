import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { Site } from '../src/analyze.js'
import { stripQuery } from '../src/options.js'
import type { MappedOriginals } from './original-position.js'

export interface ReportedSite extends Site {
  /** Module id relative to the project root (project.ts), `/`-separated (a query, if any, is kept). */
  file: string
}

export interface ReportSummary {
  sites: number
  always: number
  runtime: number
  never: number
  files: number
}

export interface Report {
  summary: ReportSummary
  sites: ReportedSite[]
}

/**
 * Where the summary line and the warnings go: the bundler's own logger, which adds
 * the plugin's name where it does not do so itself.
 */
export interface Logger {
  info(message: string): void
  warn(message: string): void
}


/**
 * The call sites of one build, by module. In watch mode bundlers transform only what
 * changed: a module transformed again replaces its entry, and a changed file is
 * dropped until it is, so a file that lost its last call site is not reported from memory.
 */
export class SiteLog {
  private readonly byModule = new Map<string, { shownAs: string; sites: Site[]; input?: string }>()

  /**
   * `shownAs`: the file the sites' positions are in, when not the module's own id (a component's sub-module: the component).
   * `input`: the code the positions are in, kept until `keepMapped` compares it (undefined: no such check).
   */
  record(id: string, sites: Site[], shownAs = id, input?: string): void {
    if (sites.length) this.byModule.set(id, { shownAs, sites, input })
    else this.byModule.delete(id)
  }

  /** Whether `keepMapped` can tell which of `id`'s sites are left. */
  awaitsCheck(id: string): boolean {
    return this.byModule.get(id)?.input !== undefined
  }

  /**
   * After every later transform of `id` (another plugin may remove code the sites are
   * in: React Router takes `loader` out of a route module for the browser), keep the
   * sites its code may still hold. `original`: the code the map's positions refer to;
   * unless it is the code the sites were found in, positions do not compare. The map
   * is read only when it places some site exactly (a later plugin's map may mark only
   * where each line starts, and leave out lines that start with indentation); then a
   * site is kept when its line has code mapped to it at or before its column (so a
   * call taken out of a line that keeps other code is still listed). Otherwise every
   * site is kept.
   */
  keepMapped(id: string, original: string | undefined, mapped: () => MappedOriginals): void {
    const entry = this.byModule.get(id)
    if (entry?.input === undefined) return
    const comparable = original === entry.input
    entry.input = undefined
    if (!comparable) return
    const { firstColumns, positions } = mapped()
    if (!entry.sites.some((site) => positions.has(`${site.line}:${site.column}`))) return
    entry.sites = entry.sites.filter((site) => {
      const first = firstColumns.get(site.line)
      return first !== undefined && first <= site.column
    })
  }

  has(id: string): boolean {
    return this.byModule.has(id)
  }

  clear(): void {
    this.byModule.clear()
  }

  forget(id: string): void {
    for (const key of this.byModule.keys()) if (stripQuery(key) === id) this.byModule.delete(key)
  }

  /**
   * `shipped`: the modules in the output, as the bundler names them (with a query, or
   * without one where it names files: esbuild); the sites of other modules are left out.
   */
  report(root: string, shipped?: ReadonlySet<string>): Report {
    // One file can be built under several ids (a framework loading it again with a query:
    // React Router's `?route-chunk=...`): it is named by its path alone, and a call at
    // one place in it is one site.
    const shown: Array<[file: string, sites: Site[]]> = []
    const idsOfPath = new Map<string, Set<string>>()
    for (const [id, { shownAs, sites: moduleSites }] of this.byModule) {
      if (shipped && !shipped.has(id) && !shipped.has(stripQuery(id))) continue
      const file = displayPath(root, shownAs)
      shown.push([file, moduleSites])
      const path = stripQuery(file)
      idsOfPath.set(path, (idsOfPath.get(path) ?? new Set()).add(file))
    }
    const byPlace = new Map<string, ReportedSite>()
    for (const [shownFile, moduleSites] of shown) {
      const path = stripQuery(shownFile)
      const file = idsOfPath.get(path)!.size > 1 ? path : shownFile
      for (const site of moduleSites) {
        const place = `${file}\0${site.line}\0${site.column}\0${site.kind}`
        if (!byPlace.has(place)) byPlace.set(place, { file, ...site })
      }
    }
    const sites = [...byPlace.values()]
    sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column))
    const count = (decision: Site['decision']) => sites.filter((site) => site.decision === decision).length
    return {
      summary: {
        sites: sites.length,
        always: count('always'),
        runtime: count('runtime'),
        never: count('never'),
        files: new Set(sites.map((site) => site.file)).size,
      },
      sites,
    }
  }
}

function displayPath(root: string, id: string): string {
  const path = stripQuery(id)
  const shown = isAbsolute(path) ? relative(root, path) : path
  return shown.replace(/\\/g, '/') + id.slice(path.length)
}

export function summaryLine({ summary }: Report): string {
  const { sites, always, runtime, never, files } = summary
  return `${sites} call site${sites === 1 ? '' : 's'}: ${always} always, ${runtime} runtime, ${never} never; ${files} file${files === 1 ? '' : 's'}`
}

/**
 * One warning per other origin that `always` gets the headers: the browser sends a
 * CORS preflight for them, and fails the request unless that server allows them.
 */
export function corsWarnings(report: Report, propagateTraceparent: boolean): string[] {
  const byOrigin = new Map<string, ReportedSite[]>()
  for (const site of report.sites) {
    if (site.decision !== 'always' || site.url === undefined || site.kind === 'worker') continue
    const origin = absoluteOrigin(site.url)
    if (origin === undefined) continue
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), site])
  }
  const headers = propagateTraceparent ? 'sentry-trace, baggage, traceparent' : 'sentry-trace, baggage'
  return [...byOrigin].map(([origin, sites]) => {
    const where = sites.map((site) => `${site.file}:${site.line}:${site.column + 1}`).join(', ')
    return (
      `${sites.length === 1 ? '1 call site always sends' : `${sites.length} call sites always send`} trace headers to ${origin} (${where}). ` +
      `Unless the page is served from that origin, its server must answer CORS preflights with ` +
      `"Access-Control-Allow-Headers: ${headers}", or browsers will fail these requests.`
    )
  })
}

/** `https://api.example.com` for an absolute or protocol-relative URL; undefined for a relative one. */
function absoluteOrigin(url: string): string | undefined {
  const match = /^((?:[a-z][a-z\d+.-]*:)?\/\/[^/?#]*)/i.exec(url)
  return match?.[1]
}

export async function writeReport(root: string, file: string, report: Report): Promise<void> {
  const target = resolve(root, file)
  await mkdir(dirname(target), { recursive: true })
  await writeFile(target, `${JSON.stringify(report, null, 2)}\n`)
}
