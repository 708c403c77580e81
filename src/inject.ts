import type * as t from '@babel/types'
import type { Plan } from './analyze.js'
import { serializeRuntimeConfig, type ResolvedOptions } from './options.js'
import { helperLocalName, PUBLISHED_META_PICKUP, PUBLISHED_RUNTIME, type RuntimeExport } from './runtime-module.js'

/** Where the rewritten code gets the runtime from, chosen by the caller (plugin or standalone). */
export interface RuntimeWiring {
  /** Module the helpers are imported from. */
  helpers: string
  /** Module an entry imports first (meta pickup, and configuration for bundlers). */
  entry: string
  /** JS source of the `configure()` argument when each file must configure the runtime itself. */
  configure?: string
}

export function runtimeWiring(options: ResolvedOptions, runtimeModule: string | undefined): RuntimeWiring {
  if (runtimeModule) return { helpers: runtimeModule, entry: runtimeModule }
  let configure = serialized.get(options)
  if (configure === undefined) serialized.set(options, (configure = serializeRuntimeConfig(options)))
  return { helpers: PUBLISHED_RUNTIME, entry: PUBLISHED_META_PICKUP, configure }
}

/** The same options serialise the same way for every file. */
const serialized = new WeakMap<ResolvedOptions, string>()

/**
 * Everything both writers add at the top of a file, computed once: helper local
 * names, and whether the entry import is still missing.
 */
export interface Preamble {
  /** Helpers to import, with their local names, in a stable order. */
  helpers: Array<{ name: RuntimeExport; local: string }>
  /** The entry import, when this file is an entry that does not have it yet. */
  entryImport?: string
  /** `configure(...)` source to call after the imports, if this wiring wants it. */
  configure?: { local: string; argument: string }
  helperSource: string
  commonjs: boolean
}

const ORDER: RuntimeExport[] = ['tracedFetch', 'alwaysTracedFetch', 'TracedXMLHttpRequest', 'traceAxios', 'configure']

export function planPreamble(program: t.Program, code: string, plan: Plan, wiring: RuntimeWiring, entry: boolean): Preamble {
  // Any occurrence of a name in the text, even in a comment, rules it out: cheap and safe.
  const taken = (name: string): boolean => code.includes(name)
  const used = new Set(plan.edits.map((edit) => edit.helper))
  const helpers = ORDER.filter((name) => used.has(name)).map((name) => ({ name, local: helperLocalName(name, taken) }))
  const preamble: Preamble = { helpers, helperSource: wiring.helpers, commonjs: plan.commonjs }
  if (helpers.length && wiring.configure !== undefined) {
    const local = helperLocalName('configure', taken)
    helpers.push({ name: 'configure', local })
    preamble.configure = { local, argument: wiring.configure }
  }
  if (entry && !importsModule(program, wiring.entry)) preamble.entryImport = wiring.entry
  return preamble
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
  if (preamble.entryImport) {
    source += preamble.commonjs ? `require(${quote(preamble.entryImport)});` : `import ${quote(preamble.entryImport)};`
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

/** Offset after the hashbang and the directive prologue ('use strict', 'use client'). */
export function preambleOffset(program: t.Program, code: string): number {
  const directives = program.directives
  if (directives.length) return directives[directives.length - 1]!.end!
  if (program.interpreter) {
    // Start of the line after the hashbang: the hashbang line must stay alone.
    const newline = code.indexOf('\n', program.interpreter.end!)
    return newline === -1 ? code.length : newline + 1
  }
  return 0
}
