/**
 * Every script file of the installed dependency tree goes through `transform`, as
 * a bundler would hand it over (the default include, every file its own id):
 * - nothing throws on a file esbuild parses (the bundlers' own parsers are the judge
 *   of what "valid" means; a file esbuild rejects must fail here too, located);
 * - every output parses again, for Babel and for esbuild;
 * - a second pass changes nothing;
 * - every reported site maps back through the source map to its own line.
 * The tree holds over twelve thousand scripts. All of them up to 400 KB run (about
 * ten seconds); the few larger ones (bundled build tools, minified single-file
 * builds of Node-only packages) are counted and left out: their parse alone takes
 * seconds each.
 */
import { parse } from '@babel/parser'
import { generatedPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { transformSync, type Loader } from 'esbuild'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { expect, it } from 'vitest'
import { transform, TransformError, type TransformOptions } from '../src/index.js'
import { parserPluginsFor } from '../src/parse.js'

const NODE_MODULES = resolve(import.meta.dirname, '..', 'node_modules')
const SCRIPT = /\.(?:[cm]?[jt]sx?)$/
const DECLARATION = /\.d(?:\.[^./]+)?\.[cm]?ts$/

function scripts(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) scripts(path, out)
    else if (entry.isFile() && SCRIPT.test(entry.name) && !DECLARATION.test(entry.name)) out.push(path)
  }
  return out
}

function esbuildLoader(file: string): Loader {
  const extension = /\.([cm]?)([jt]sx?)$/.exec(file)!
  return extension[2] as Loader
}

/** Whether esbuild parses the file as the kind its extension says (module or script alike). */
function esbuildAccepts(code: string, file: string): boolean {
  try {
    transformSync(code, { loader: esbuildLoader(file), logLevel: 'silent' })
    return true
  } catch {
    return false
  }
}

const MAX_SIZE = 400_000

const options: TransformOptions = { tracePropagationTargets: [/^\/api/, 'api.example.com'], propagateTraceparent: true }

it('transforms every script of node_modules: no throw on valid code, output parses, idempotent, sites mapped', () => {
  const files = scripts(NODE_MODULES)
  expect(files.length).toBeGreaterThan(5000)
  const counts = { files: files.length, rewritten: 0, sites: 0, rejected: 0, skipped: 0 }
  const problems: string[] = []
  for (const file of files) {
    if (statSync(file).size > MAX_SIZE) {
      counts.skipped++
      continue
    }
    const code = readFileSync(file, 'utf8')
    const id = file
    let result
    try {
      result = transform(code, id, options)
    } catch (error) {
      // A file no bundler accepts either (a fixture of some package's own tests) may fail, located.
      if (error instanceof TransformError && !esbuildAccepts(code, file)) {
        counts.rejected++
        continue
      }
      problems.push(`${relative(NODE_MODULES, file)}: threw ${(error as Error).message.split('\n')[0]}`)
      continue
    }
    if (!result) continue
    counts.sites += result.sites.length
    if (result.code === code) continue
    counts.rewritten++
    const name = relative(NODE_MODULES, file)
    try {
      parse(result.code, { sourceType: 'unambiguous', allowReturnOutsideFunction: true, plugins: parserPluginsFor(result.code, id) })
    } catch (error) {
      problems.push(`${name}: output does not parse (${(error as Error).message})`)
      continue
    }
    if (esbuildAccepts(code, file) && !esbuildAccepts(result.code, file)) problems.push(`${name}: esbuild parses the input but not the output`)
    const again = transform(result.code, id, options)
    if (again !== null && again.code !== result.code) problems.push(`${name}: changed on a second pass`)
    const map = new TraceMap(result.map as unknown as ConstructorParameters<typeof TraceMap>[0])
    for (const site of result.sites) {
      if (site.decision === 'never') continue
      const at = generatedPositionFor(map, { source: id, line: site.line, column: site.column })
      if (at.line === null) problems.push(`${name}:${site.line}:${site.column}: site not in the source map`)
    }
  }
  console.info(`node_modules sweep: ${JSON.stringify(counts)}`)
  expect(problems).toEqual([])
  // Not vacuous: the tree holds HTTP clients (axios, ky, ofetch, superagent, jQuery, ...).
  expect(counts.rewritten).toBeGreaterThan(50)
  expect(counts.sites).toBeGreaterThan(100)
  expect(counts.skipped).toBeLessThan(counts.files / 100)
}, 300_000)
