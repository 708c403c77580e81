/**
 * Where a position of compiled code came from, read from the source map the bundler
 * chained so far (Source Map v3: https://tc39.es/ecma426/). Only what the report
 * needs: the original line and column of a few call sites per module.
 */

/** A source map as bundlers hand it to plugins (`getCombinedSourcemap`). */
export interface EncodedSourceMap {
  mappings: string
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DIGIT = new Int8Array(128).fill(-1)
for (let index = 0; index < BASE64.length; index++) DIGIT[BASE64.charCodeAt(index)] = index

/** One segment: generated column, then original line and column (0-based; -1 for a segment that maps to no source). */
type Segment = [generatedColumn: number, originalLine: number, originalColumn: number]

/**
 * The segments of every generated line, in column order.
 * Fields are VLQ deltas: the generated column restarts on each line, the others
 * run on across the whole map.
 */
function decode(mappings: string): Segment[][] {
  const lines: Segment[][] = []
  let line: Segment[] = []
  let generatedColumn = 0
  let originalLine = 0
  let originalColumn = 0
  let index = 0
  const field = (): number => {
    let value = 0
    let shift = 0
    let digit: number
    do {
      digit = DIGIT[mappings.charCodeAt(index++)] ?? -1
      if (digit < 0) throw new Error('invalid source map mappings')
      value += (digit & 31) << shift
      shift += 5
    } while (digit & 32)
    return value & 1 ? -(value >>> 1) : value >>> 1
  }
  while (index <= mappings.length) {
    const char = mappings[index]
    if (char === undefined || char === ';') {
      lines.push(line.sort((a, b) => a[0] - b[0]))
      line = []
      generatedColumn = 0
      index++
      continue
    }
    if (char === ',') {
      index++
      continue
    }
    generatedColumn += field()
    const segmentEnd = () => index >= mappings.length || mappings[index] === ',' || mappings[index] === ';'
    if (segmentEnd()) {
      line.push([generatedColumn, -1, -1])
      continue
    }
    field() // source index: the report keeps the module's own file
    originalLine += field()
    originalColumn += field()
    if (!segmentEnd()) field() // name
    line.push([generatedColumn, originalLine, originalColumn])
  }
  return lines
}

/**
 * `locate(line, column)`: the original position (1-based line, 0-based column) of a
 * generated one, from the nearest segment at or before it on that line;
 * undefined where the map says nothing there. Decoded once per map.
 */
export function originalPositions(map: EncodedSourceMap): (line: number, column: number) => { line: number; column: number } | undefined {
  const lines = decode(map.mappings)
  return (line, column) => {
    const segments = lines[line - 1]
    if (!segments) return undefined
    let found: Segment | undefined
    for (const segment of segments) {
      if (segment[0] > column) break
      // Several segments at one column: the first where the column is the one asked
      // for, else the last (as @jridgewell/trace-mapping reads them).
      if (!found || segment[0] !== column || found[0] !== column) found = segment
    }
    return found && found[1] >= 0 ? { line: found[1] + 1, column: found[2] } : undefined
  }
}

/** The original positions some generated code maps to: where the map says the code it describes came from. */
export interface MappedOriginals {
  /** Each original line (1-based) with the first column (0-based) mapped on it. */
  firstColumns: Map<number, number>
  /** Every position mapped, as `line:column`. */
  positions: Set<string>
}

export function mappedOriginals(map: EncodedSourceMap): MappedOriginals {
  const firstColumns = new Map<number, number>()
  const positions = new Set<string>()
  for (const segments of decode(map.mappings)) {
    for (const [, line, column] of segments) {
      if (line < 0) continue
      const first = firstColumns.get(line + 1)
      if (first === undefined || column < first) firstColumns.set(line + 1, column)
      positions.add(`${line + 1}:${column}`)
    }
  }
  return { firstColumns, positions }
}
