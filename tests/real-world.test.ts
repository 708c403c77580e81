/**
 * Real-world code: every JS file of real packages from node_modules goes
 * through the transform. Nothing throws, every output parses, a second pass over
 * the output changes nothing, and the sites are those a walk of every function
 * finds (the text path leaves functions without candidate names unwalked).
 */
import { parse } from '@babel/parser'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeProgram } from '../src/analyze.js'
import { resolveOptions } from '../src/options.js'
import { parseModule, parserPlugins } from '../src/parse.js'
import { transform, type TransformOptions } from '../src/index.js'

const PACKAGES = ['axios', 'ky', 'ofetch', 'react-dom', 'vue', 'rxjs', 'preact', 'whatwg-fetch', 'superagent', 'graphql-request', 'jquery']

function packageRoot(name: string): string {
  return resolve(import.meta.dirname, '..', 'node_modules', name)
}

function jsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') jsFiles(path, out)
    } else if (entry.isFile() && /\.(?:[cm]?js|jsx)$/.test(entry.name)) {
      out.push(path)
    }
  }
  return out
}

// Every kind of target, so all decision paths run.
const options: TransformOptions = { tracePropagationTargets: [/^\/api/, 'api.example.com'], propagateTraceparent: true }
const resolved = resolveOptions(options)

describe.each(PACKAGES)('%s', (name) => {
  it('transforms every JS file: no throw, output parses, idempotent', () => {
    const root = packageRoot(name)
    const files = jsFiles(root)
    expect(files.length).toBeGreaterThan(0)
    let rewritten = 0
    let sites = 0
    for (const file of files) {
      if (statSync(file).size > 5_000_000) continue
      const code = readFileSync(file, 'utf8')
      const id = `/node_modules/${name}/${relative(root, file)}`
      const result = transform(code, id, options)
      if (resolved.candidates.test(code)) expect(result?.sites ?? [], id).toEqual(analyzeProgram(parseModule(code, id).program, resolved).sites)
      if (!result) continue
      sites += result.sites.length
      if (result.code === code) continue
      rewritten++
      expect(() => parse(result.code, { sourceType: 'unambiguous', allowReturnOutsideFunction: true, plugins: parserPlugins(id, result.code) }), id).not.toThrow()
      const again = transform(result.code, id, options)
      expect(again === null || again.code === result.code, `${id} changed on a second pass`).toBe(true)
    }
    // The HTTP clients among them call fetch / XHR directly: the transform must see it
    // (superagent through a reassigned `let root`, checked at run time).
    if (['axios', 'ky', 'ofetch', 'whatwg-fetch', 'graphql-request', 'superagent', 'jquery'].includes(name)) expect(sites).toBeGreaterThan(0)
    console.info(`${name}: ${files.length} files, ${rewritten} rewritten, ${sites} call sites`)
  })
})
