import type * as t from '@babel/types'
import type { Plan } from './analyze.js'
import { serializeRuntimeConfig, type ResolvedOptions } from './options.js'
import { PUBLISHED_META_PICKUP, PUBLISHED_RUNTIME, PUBLISHED_WORKER_PICKUP, RUNTIME_WORKER_PICKUP } from './names.js'
import { helperLocalName, RUNTIME_EXPORTS, type RuntimeExport } from './runtime-module.js'

/** Where the rewritten code gets the runtime from, chosen by the caller (plugin or standalone). */
export interface RuntimeWiring {
  /** Module the helpers are imported from. */
  helpers: string
  /** Module an entry imports first, before any app code: the meta-tag pickup (and, for bundlers, the configuration). */
  startup: string
  /** JS source of the `configure()` argument when each file must configure the runtime itself. */
  configure?: string
  /** Module a worker's entry imports before `startup`: the pickup of the trace its page handed over. */
  workerStartup: string
}

export function runtimeWiring(options: ResolvedOptions, runtimeModule: string | undefined): RuntimeWiring {
  // The bundlers' worker pickup is resolved by the plugin to the runtime next to it (plugin/virtual.ts).
  if (runtimeModule) return { helpers: runtimeModule, startup: runtimeModule, workerStartup: RUNTIME_WORKER_PICKUP }
  let configure = serialized.get(options)
  if (configure === undefined) serialized.set(options, (configure = serializeRuntimeConfig(options)))
  return { helpers: PUBLISHED_RUNTIME, startup: PUBLISHED_META_PICKUP, configure, workerStartup: PUBLISHED_WORKER_PICKUP }
}

/** The same options serialise the same way for every file. */
const serialized = new WeakMap<ResolvedOptions, string>()

/**
 * Everything both writers add at the top of a file, computed once: helper local
 * names, and whether the startup import is still missing.
 */
export interface Preamble {
  /** Helpers to import, with their local names, in a stable order. */
  helpers: Array<{ name: RuntimeExport; local: string }>
  /** The startup module, when this file is an entry that does not import it yet; a worker's entry imports the worker pickup before it. */
  startupImport?: string
  workerStartupImport?: string
  /** `configure(...)` source to call after the imports, if this wiring wants it. */
  configure?: { local: string; argument: string }
  helperSource: string
  /** Reach the runtime with `require` (CommonJS, and scripts where the host bundles CommonJS) instead of `import`. */
  commonjs: boolean
}

/**
 * How a file without ESM syntax (CommonJS, a classic script, a UMD bundle) reaches
 * the runtime in the host at hand: `require` where the host bundles CommonJS, so a
 * script stays a script (top-level `this`, sloppy mode); `import` where the host
 * parses every file as an ES module anyway (webpack's `javascript/esm` files, Vite's
 * dev server, Rollup without its CommonJS plugin), where `require` is not defined.
 */
export type ScriptWiring = 'require' | 'import'

export function planPreamble(program: t.Program, code: string, plan: Plan, wiring: RuntimeWiring, entry: boolean | 'worker', scripts: ScriptWiring = 'require'): Preamble {
  const taken = nameTaken(code)
  const used = new Set(plan.edits.map((edit) => edit.helper))
  const helpers = RUNTIME_EXPORTS.filter((name) => name !== 'configure' && used.has(name)).map((name) => ({ name, local: helperLocalName(name, taken) }))
  const commonjs = plan.format !== 'module' && scripts === 'require'
  const preamble: Preamble = { helpers, helperSource: wiring.helpers, commonjs }
  if (helpers.length && wiring.configure !== undefined) {
    const local = helperLocalName('configure', taken)
    helpers.push({ name: 'configure', local })
    preamble.configure = { local, argument: wiring.configure }
  }
  if (entry && !importsModule(program, wiring.startup)) preamble.startupImport = wiring.startup
  if (entry === 'worker' && !importsModule(program, wiring.workerStartup)) preamble.workerStartupImport = wiring.workerStartup
  return preamble
}

/**
 * Whether a helper name could clash with one in `code`: any occurrence in the text,
 * even in a comment or string, rules it out (cheap and safe), and so does one spelled
 * with escapes (`\u005f_sentryTrace_x` is the identifier `__sentryTrace_x`).
 */
function nameTaken(code: string): (name: string) => boolean {
  let unescaped: string | undefined
  return (name) => {
    if (code.includes(name)) return true
    if (!code.includes('\\u')) return false
    unescaped ??= code.replace(/\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g, (_, braced: string | undefined, plain: string | undefined) => {
      const point = parseInt(braced ?? plain!, 16)
      return point <= 0x10ffff ? String.fromCodePoint(point) : ''
    })
    return unescaped.includes(name)
  }
}

function importsModule(program: t.Program, source: string): boolean {
  return program.body.some((statement) => {
    if (statement.type === 'ImportDeclaration') return statement.source.value === source
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'CallExpression') {
      const [argument] = statement.expression.arguments
      return statement.expression.callee.type === 'Identifier' && statement.expression.callee.name === 'require' && argument?.type === 'StringLiteral' && argument.value === source
    }
    return false
  })
}

export function localNameOf(preamble: Preamble, helper: RuntimeExport): string {
  const found = preamble.helpers.find((entry) => entry.name === helper)
  if (!found) throw new Error(`internal: helper ${helper} was not planned`)
  return found.local
}

/** The preamble as source text, one line, so the file's own line numbers do not move. */
export function preambleSource(preamble: Preamble): string {
  let source = ''
  const quote = JSON.stringify
  if (preamble.workerStartupImport) {
    source += preamble.commonjs ? `require(${quote(preamble.workerStartupImport)});` : `import ${quote(preamble.workerStartupImport)};`
  }
  if (preamble.startupImport) {
    source += preamble.commonjs ? `require(${quote(preamble.startupImport)});` : `import ${quote(preamble.startupImport)};`
  }
  if (preamble.helpers.length) {
    if (preamble.commonjs) {
      const module = quote(preamble.helperSource)
      source += preamble.helpers.map(({ name, local }) => `var ${local} = require(${module}).${name};`).join(' ')
    } else {
      const specifiers = preamble.helpers.map(({ name, local }) => `${name} as ${local}`).join(', ')
      source += `import { ${specifiers} } from ${quote(preamble.helperSource)};`
    }
  }
  if (preamble.configure) source += `${preamble.configure.local}(${preamble.configure.argument});`
  return source
}

/** Line terminators as JavaScript counts lines. */
const LINE_TERMINATOR = /\r\n?|[\n\u2028\u2029]/g

/**
 * Where the preamble goes: after a byte order mark, the hashbang line and the
 * directive prologue ('use strict', 'use client'). `newline` is set when the
 * hashbang ends the file: the preamble must start a line of its own.
 */
export function preambleOffset(program: t.Program, code: string): { offset: number; newline: boolean } {
  const directives = program.directives
  if (directives.length) return { offset: directives[directives.length - 1]!.end!, newline: false }
  if (program.interpreter) {
    // Start of the line after the hashbang, whatever ends it: the hashbang line must stay alone.
    LINE_TERMINATOR.lastIndex = program.interpreter.end!
    const end = LINE_TERMINATOR.exec(code)
    return end ? { offset: end.index + end[0].length, newline: false } : { offset: code.length, newline: true }
  }
  return { offset: code.charCodeAt(0) === 0xfeff ? 1 : 0, newline: false }
}
