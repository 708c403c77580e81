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

/** An input that cannot be transformed, located in the file: `id`, 1-based `line`, 0-based `column`. */
export class TransformError extends Error {
  override name = 'SentryTraceTransformError'
  constructor(
    readonly reason: string,
    readonly id: string,
    readonly loc: { line: number; column: number },
    readonly frame: string,
  ) {
    super(`${id}:${loc.line}:${loc.column + 1}: ${reason}${frame ? `\n\n${frame}` : ''}`)
  }
}

/** Syntax by file kind: the extension, or `lang.xx` in the query of a virtual id (`App.vue?vue&lang.ts`). */
export function parserPlugins(id: string, code: string): ParserPlugin[] {
  const query = id.includes('?') ? id.slice(id.indexOf('?')) : ''
  const lang = /[?&]lang\.([a-z]+)/.exec(query)?.[1] ?? /\.([cm]?[jt]sx?)$/.exec(stripQuery(id))?.[1] ?? 'js'
  if (/^[cm]?ts$/.test(lang)) return ['typescript', 'decorators-legacy']
  if (lang === 'tsx') return ['typescript', 'jsx', 'decorators-legacy']
  // Flow files are plain .js; their pragma says so.
  if (/@flow\b/.test(code.slice(0, 2000))) return ['flow', 'jsx', 'decorators-legacy']
  return ['jsx', 'decorators-legacy']
}

export function parseModule(code: string, id: string): t.File {
  try {
    return parse(code, {
      sourceType: 'unambiguous',
      sourceFilename: id,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: false,
      allowUndeclaredExports: true,
      errorRecovery: false,
      // Comments stay in the text (edits are surgical); attaching them to nodes is wasted work.
      attachComment: false,
      plugins: parserPlugins(id, code),
    }) as t.File
  } catch (error) {
    throw toTransformError(error, code, id)
  }
}

export function toTransformError(error: unknown, code: string, id: string): TransformError {
  if (error instanceof TransformError) return error
  const located = error as { message?: string; loc?: { line: number; column: number }; reasonCode?: string }
  const loc = located?.loc && typeof located.loc.line === 'number' ? located.loc : { line: 1, column: 0 }
  // Babel appends " (line:column)" to its messages; the location is ours to print.
  const reason = String(located?.message ?? error).replace(/ \(\d+:\d+\)$/, '')
  let frame = ''
  try {
    // Loaded only here: an error is the one time it is needed.
    const { codeFrameColumns } = require('@babel/code-frame') as typeof BabelCodeFrame
    frame = codeFrameColumns(code, { start: { line: loc.line, column: loc.column + 1 } })
  } catch {
    frame = ''
  }
  return new TransformError(reason, id, { line: loc.line, column: loc.column }, frame)
}
