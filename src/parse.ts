import type * as BabelCodeFrame from '@babel/code-frame'
import type * as BabelParser from '@babel/parser'
import type { ParserPlugin } from '@babel/parser'
import type * as t from '@babel/types'
import { createRequire } from 'node:module'
import { stripQuery } from './options.js'

const require = createRequire(import.meta.url)

/**
 * @babel/parser is CommonJS: `require` loads it as it is, where an ESM `import`
 * first scans its half a megabyte for named exports (about 60 ms of every build).
 */
export const { parse } = require('@babel/parser') as typeof BabelParser

/**
 * An input that cannot be transformed, located in the file: `id`, 1-based `line`,
 * 0-based `column` (no `loc` when the failure has no place, such as the parser
 * running out of stack on a file nested deeper than it can follow).
 */
export class TransformError extends Error {
  override name = 'SentryTraceTransformError'
  /** Stable, for tools that match on it (bundlers show it with the message). */
  readonly code = 'SENTRY_TRACE_TRANSFORM_FAILED'
  constructor(
    readonly reason: string,
    readonly id: string,
    readonly loc: { line: number; column: number } | undefined,
    readonly frame: string,
  ) {
    super(`${id}${loc ? `:${loc.line}:${loc.column + 1}` : ''}: ${reason}${frame ? `\n\n${frame}` : ''}`)
  }
}

/**
 * Syntax proposals the supported bundlers already accept: standard decorators
 * (TypeScript 5, `export @dec class`) with `accessor` fields, `import ... assert`,
 * `import source`, `import defer`, `using`. Legacy decorators (TypeScript's
 * `experimentalDecorators`, parameter decorators) are the retry when these fail.
 */
const PROPOSALS: ParserPlugin[] = [
  'decoratorAutoAccessors',
  'deprecatedImportAssert',
  'sourcePhaseImports',
  'deferredImportEvaluation',
  'explicitResourceManagement',
] as ParserPlugin[]
const DECORATORS = ['decorators', { version: '2023-11' }] as unknown as ParserPlugin

/** Syntax by file kind: the extension, or `lang.xx` in the query of a virtual id (`App.vue?vue&lang.ts`). */
export function parserPlugins(id: string, code: string, decorators: ParserPlugin = DECORATORS): ParserPlugin[] {
  const query = id.includes('?') ? id.slice(id.indexOf('?')) : ''
  const lang = /[?&]lang\.([a-z]+)/.exec(query)?.[1] ?? /\.([cm]?[jt]sx?)$/.exec(stripQuery(id))?.[1] ?? 'js'
  if (/^[cm]?ts$/.test(lang)) return ['typescript', decorators, ...PROPOSALS]
  if (lang === 'tsx') return ['typescript', 'jsx', decorators, ...PROPOSALS]
  // Flow files are plain .js; their pragma says so.
  if (/@flow\b/.test(code.slice(0, 2000))) return ['flow', 'jsx', decorators, ...PROPOSALS]
  return ['jsx', decorators, ...PROPOSALS]
}

const OPTIONS = {
  sourceType: 'unambiguous',
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: false,
  allowUndeclaredExports: true,
  errorRecovery: false,
  // Comments stay in the text (edits are surgical); attaching them to nodes is wasted work.
  attachComment: false,
} as const

/** The parser plugins `parseModule` ends up parsing `code` with (for tools that parse the same file again). */
export function parserPluginsFor(code: string, id: string): ParserPlugin[] {
  try {
    parse(code, { ...OPTIONS, plugins: parserPlugins(id, code) })
    return parserPlugins(id, code)
  } catch {
    return parserPlugins(id, code, 'decorators-legacy')
  }
}

export function parseModule(code: string, id: string): t.File {
  try {
    return parse(code, { ...OPTIONS, sourceFilename: id, plugins: parserPlugins(id, code) }) as t.File
  } catch (error) {
    // Legacy decorators: TypeScript's `experimentalDecorators` (parameter decorators among them).
    if (code.includes('@')) {
      try {
        return parse(code, { ...OPTIONS, sourceFilename: id, plugins: parserPlugins(id, code, 'decorators-legacy') }) as t.File
      } catch {}
    }
    throw toTransformError(error, code, id)
  }
}

export function toTransformError(error: unknown, code: string, id: string): TransformError {
  if (error instanceof TransformError) return error
  const located = error as { message?: string; loc?: { line: number; column: number }; reasonCode?: string }
  const loc = located?.loc && typeof located.loc.line === 'number' ? { line: located.loc.line, column: located.loc.column } : undefined
  // Babel appends " (line:column)" to its messages; the location is ours to print.
  const reason = String(located?.message ?? error).replace(/ \(\d+:\d+\)$/, '')
  let frame = ''
  if (loc) {
    try {
      // Loaded only here: an error is the one time it is needed.
      const { codeFrameColumns } = require('@babel/code-frame') as typeof BabelCodeFrame
      const window = frameWindow(code, loc)
      frame = codeFrameColumns(window.code, { start: { line: loc.line, column: window.column + 1 } })
    } catch {
      frame = ''
    }
  }
  return new TransformError(reason, id, loc, frame)
}

/** Characters of a line shown in a code frame: a minified one-line file must not make a megabyte error. */
const FRAME_WIDTH = 120

/**
 * The source as the code frame sees it: the lines around `loc` cut to a window of
 * FRAME_WIDTH characters around the column (marked with `…` where cut), every other
 * line empty, so line numbers stay true. Lines break as JavaScript breaks them.
 */
function frameWindow(code: string, loc: { line: number; column: number }): { code: string; column: number } {
  const lines = code.split(LINE_BREAK)
  const from = Math.max(0, loc.column - FRAME_WIDTH / 2)
  const cut = (line: string): string =>
    (from > 0 ? '…' : '') + line.slice(from, from + FRAME_WIDTH) + (line.length > from + FRAME_WIDTH ? '…' : '')
  const shown = lines.map((line, index) => (Math.abs(index + 1 - loc.line) <= 2 ? cut(line) : ''))
  return { code: shown.join('\n'), column: loc.column - from + (from > 0 ? 1 : 0) }
}

/** Line terminators as JavaScript counts lines (and as Babel numbers them). */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/

/** Line `line` (1-based) of `code` as an error display shows it: '' when too long to show whole. */
export function sourceLine(code: string, line: number): string {
  const text = code.split(LINE_BREAK)[line - 1] ?? ''
  return text.length > 4 * FRAME_WIDTH ? '' : text
}
