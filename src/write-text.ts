import MagicString, { type SourceMap } from 'magic-string'
import type { Edit, Plan } from './analyze.js'
import { localNameOf, preambleOffset, preambleSource, type Preamble } from './inject.js'
import type * as t from '@babel/types'

/**
 * The bundler writer: surgical text edits, so untouched code keeps its bytes,
 * comments and formatting, and the map points every rewritten call back to it.
 */
export function writeText(code: string, id: string, program: t.Program, plan: Plan, preamble: Preamble): { code: string; map: SourceMap } {
  const output = new MagicString(code, { filename: id })
  // Inner edits first, so an outer wrap encloses what was inserted inside it.
  const edits = [...plan.edits].sort((a, b) => span(a) - span(b))
  for (const edit of edits) applyEdit(output, edit, preamble)
  const head = preambleSource(preamble)
  if (head) {
    const offset = preambleOffset(program, code)
    // A directive without its semicolon would run into the first import.
    const separator = program.directives.length && code[offset - 1] !== ';' ? ';' : ''
    output.appendLeft(offset, separator + head)
  }
  return {
    code: output.toString(),
    // `sources` holds the id itself: a name relative to `file` would lose its folder in webpack.
    map: output.generateMap({ source: id, includeContent: true, hires: 'boundary' }),
  }
}

function span(edit: Edit): number {
  return edit.node.end! - edit.node.start!
}

function applyEdit(output: MagicString, edit: Edit, preamble: Preamble): void {
  const { start, end } = edit.node as { start: number; end: number }
  const local = localNameOf(preamble, edit.helper)
  switch (edit.type) {
    case 'replace':
      output.update(start, end, local)
      return
    case 'wrap':
      output.prependRight(start, `${local}(`)
      output.appendLeft(end, ')')
      return
    case 'expandShorthand': {
      const key = (edit.node.key as t.Identifier).name
      output.appendLeft(end, edit.wrap ? `: ${local}(${key})` : `: ${local}`)
      return
    }
  }
}
