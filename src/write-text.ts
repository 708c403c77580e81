import type * as t from '@babel/types'
import type { Edit, Plan } from './analyze.js'
import { localNameOf, preambleOffset, preambleSource, type Preamble } from './inject.js'
import { LOG_PREFIX } from './names.js'

/** A version 3 source map, as bundlers take it. */
export interface SourceMap {
  version: 3
  file: string
  sources: string[]
  sourcesContent: string[]
  names: string[]
  mappings: string
}

/**
 * The bundler writer: surgical text edits, so untouched code keeps its bytes,
 * comments and formatting, and a source map that points every token of it, and
 * every rewritten call, back to where it was.
 *
 * The map is written here rather than by a general-purpose editor: the output is
 * the input with a few insertions, so each unchanged line maps to itself, token
 * by token (a segment at each word and each punctuation character, so a stack
 * frame or a downstream map lands on the exact column). Building that directly
 * costs a fraction of what a general editor's per-character chunk walk costs.
 */
export function writeText(code: string, id: string, program: t.Program, plan: Plan, preamble: Preamble): { code: string; map: SourceMap } {
  const edits = new TextEdits(code)
  // Inner edits first, so an outer wrap encloses what was inserted inside it.
  for (const edit of [...plan.edits].sort((a, b) => span(a) - span(b))) applyEdit(edits, edit, preamble)
  const head = preambleSource(preamble)
  if (head) {
    const { offset, newline } = preambleOffset(program, code)
    // A directive without its semicolon would run into the first import.
    const separator = newline ? '\n' : program.directives.length && code[offset - 1] !== ';' ? ';' : ''
    edits.appendLeft(offset, separator + head)
  }
  const { output, mappings } = edits.render()
  return {
    code: output,
    // `sources` holds the id itself: a name relative to `file` would lose its folder in webpack.
    map: { version: 3, file: id, sources: [id], sourcesContent: [code], names: [], mappings },
  }
}

function span(edit: Edit): number {
  return edit.node.end! - edit.node.start!
}

function applyEdit(edits: TextEdits, edit: Edit, preamble: Preamble): void {
  const { start, end } = edit.node as { start: number; end: number }
  const local = localNameOf(preamble, edit.helper)
  switch (edit.type) {
    case 'replace':
      edits.replace(start, end, local)
      return
    case 'wrap': {
      // A sequence would become several arguments; `new f(x)()` would call what `new` made.
      const inner = edit.node.type === 'SequenceExpression' ? ['(', ')'] : ['', '']
      const outer = edit.parenthesize ? ['(', ')'] : ['', '']
      edits.prependRight(start, `${outer[0]}${local}(${inner[0]}`)
      edits.appendLeft(end, `${inner[1]}${edit.key ? `, ${edit.key.name}` : ''})${outer[1]}`)
      return
    }
    case 'expandShorthand': {
      const key = (edit.node.key as t.Identifier).name
      edits.appendLeft(end, edit.wrap ? `: ${local}(${key})` : `: ${local}`)
      return
    }
  }
}

/** Text inserted at a position of the original: what sticks to the code before it, then to the code after it. */
interface Insertion {
  left: string
  right: string
}

/**
 * Insertions and replacements on one source text, with the placement rules of
 * magic-string: `appendLeft(p)` adds after earlier left insertions at p,
 * `prependRight(p)` before earlier right ones, and left ones come first.
 * Replaced ranges do not overlap.
 */
class TextEdits {
  private readonly insertions = new Map<number, Insertion>()
  private readonly replacements = new Map<number, { end: number; text: string }>()

  constructor(private readonly original: string) {}

  appendLeft(at: number, text: string): void {
    const insertion = this.at(at)
    insertion.left += text
  }

  prependRight(at: number, text: string): void {
    const insertion = this.at(at)
    insertion.right = text + insertion.right
  }

  replace(start: number, end: number, text: string): void {
    this.replacements.set(start, { end, text })
  }

  private at(position: number): Insertion {
    let insertion = this.insertions.get(position)
    if (!insertion) this.insertions.set(position, (insertion = { left: '', right: '' }))
    return insertion
  }

  /** The edited text, and its source map's `mappings` (one source, index 0). */
  render(): { output: string; mappings: string } {
    const code = this.original
    const stops = [...new Set([...this.insertions.keys(), ...this.replacements.keys()])].sort((a, b) => a - b)
    const map = new MappingsWriter()
    let output = ''
    let cursor = 0
    for (const stop of stops) {
      if (stop < cursor) throw new Error(`${LOG_PREFIX} internal error: an edit at offset ${stop} falls inside a replaced range`)
      map.unchanged(code, cursor, stop)
      output += code.slice(cursor, stop)
      cursor = stop
      const insertion = this.insertions.get(stop)
      const replacement = this.replacements.get(stop)
      const inserted = insertion ? insertion.left + insertion.right : ''
      if (inserted) {
        // Like magic-string: inserted text carries on the mapping of what precedes it.
        map.inserted(inserted, false)
        output += inserted
      }
      if (replacement) {
        map.inserted(replacement.text, true)
        output += replacement.text
        map.skip(code, stop, replacement.end)
        cursor = replacement.end
      }
    }
    map.unchanged(code, cursor, code.length)
    output += code.slice(cursor)
    return { output, mappings: map.toString() }
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1
  let out = ''
  do {
    let digit = rest & 31
    rest >>>= 5
    if (rest > 0) digit |= 32
    out += BASE64[digit]
  } while (rest > 0)
  return out
}

// Small deltas are nearly all of them: encode each once.
const SMALL_VLQ = Array.from({ length: 1024 }, (_, value) => vlq(value))

/** `,` and a segment that moves both columns by the index, on the same source line. */
const SAME_STEP = SMALL_VLQ.map((step) => `,${step}AA${step}`)

function delta(value: number): string {
  return value >= 0 && value < 1024 ? SMALL_VLQ[value]! : vlq(value)
}

/** Per ASCII code: 1 for a word character (`\w` and `$`), 2 for whitespace; 0 for the rest. Others count as word characters. */
const CHAR_CLASS = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128)
  for (let code = 0; code < 128; code++) {
    const char = String.fromCharCode(code)
    table[code] = /[\w$]/.test(char) ? 1 : /\s/.test(char) ? 2 : 0
  }
  return table
})()

/**
 * Writes `mappings` while the output is assembled in order: the generated
 * position advances with every piece written, the original one with every piece
 * of the source consumed.
 */
class MappingsWriter {
  /** `mappings` so far; `line` is false until the current line has a segment. */
  private mappings = ''
  private line = false
  private column = 0
  /** Generated column of the last segment on this line. */
  private segmentColumn = 0
  /** Where the source has been consumed up to. */
  private sourceLine = 0
  private sourceColumn = 0
  /** Source position of the last segment. */
  private lastLine = 0
  private lastColumn = 0

  private segment(column: number, sourceColumn: number): void {
    const step = column - this.segmentColumn
    if (this.line && this.sourceLine === this.lastLine && sourceColumn - this.lastColumn === step && step < SAME_STEP.length) {
      // Within an unchanged line both columns move alike: the common case, one lookup.
      this.mappings += SAME_STEP[step]
    } else {
      this.mappings +=
        (this.line ? ',' : '') +
        delta(step) +
        'A' +
        (this.sourceLine === this.lastLine ? 'A' : vlq(this.sourceLine - this.lastLine)) +
        delta(sourceColumn - this.lastColumn)
    }
    this.line = true
    this.segmentColumn = column
    this.lastLine = this.sourceLine
    this.lastColumn = sourceColumn
  }

  private newLine(): void {
    this.mappings += ';'
    this.line = false
    this.column = 0
    this.segmentColumn = 0
  }

  /**
   * `code[start, end)` copied as it is: a segment at each token (each word, each
   * other non-space character). Lines end where JavaScript ends them (LF, CR, CRLF,
   * U+2028, U+2029), as the parser numbers the lines of reported sites and as
   * engines number the lines of stack frames.
   */
  unchanged(code: string, start: number, end: number): void {
    let inWord = false
    for (let at = start; at < end; at++) {
      const char = code.charCodeAt(at)
      if (isLineBreak(code, at, char)) {
        this.newLine()
        this.sourceLine++
        this.sourceColumn = 0
        inWord = false
        continue
      }
      const kind = char < 128 ? CHAR_CLASS[char] : 1
      if (kind === 0 || (kind === 1 && !inWord)) this.segment(this.column, this.sourceColumn)
      inWord = kind === 1
      this.column++
      this.sourceColumn++
    }
  }

  /** `text` written where the source is at; with `mapped`, one segment maps all of it there. */
  inserted(text: string, mapped: boolean): void {
    if (mapped) this.segment(this.column, this.sourceColumn)
    for (let at = 0; at < text.length; at++) {
      if (isLineBreak(text, at, text.charCodeAt(at))) {
        this.newLine()
      } else {
        this.column++
      }
    }
  }

  /** `code[start, end)` left out of the output. */
  skip(code: string, start: number, end: number): void {
    for (let at = start; at < end; at++) {
      if (isLineBreak(code, at, code.charCodeAt(at))) {
        this.sourceLine++
        this.sourceColumn = 0
      } else {
        this.sourceColumn++
      }
    }
  }

  toString(): string {
    return this.mappings
  }
}

/** Whether the character at `at` ends a line (the CR of a CRLF does not: its LF does). */
function isLineBreak(code: string, at: number, char: number): boolean {
  if (char === 10) return true
  if (char === 13) return code.charCodeAt(at + 1) !== 10
  return char === 0x2028 || char === 0x2029
}
