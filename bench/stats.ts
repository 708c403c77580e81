/**
 * Summaries and the printed table. Every figure the bench quotes is a median of
 * several runs taken in alternation with the figure it is compared to, so that a
 * burst of load from another process on the machine hits both sides alike.
 */

export interface Summary {
  median: number
  min: number
  max: number
  runs: number
}

export function summarize(samples: readonly number[]): Summary {
  if (!samples.length) throw new Error('no samples')
  const sorted = samples.toSorted((a, b) => a - b)
  const middle = sorted.length >> 1
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length }
}

/**
 * The order of the variants in round `round`: rotated every round, and reversed
 * every other one, so no variant always runs first (cold caches) or last.
 */
export function roundOrder<T>(variants: readonly T[], round: number): T[] {
  const rotated = [...variants.slice(round % variants.length), ...variants.slice(0, round % variants.length)]
  return Math.floor(round / variants.length) % 2 ? rotated.reverse() : rotated
}

/** One line of the table. `ok` is undefined for rows that only inform. */
export interface Row {
  part: string
  measure: string
  median: string
  range: string
  ratio: string
  target: string
  ok?: boolean
  /** What to print when the target is missed (`--check`). */
  missed?: string
}

export function formatTable(rows: readonly Row[]): string {
  const header: Row = { part: 'part', measure: 'measure', median: 'median', range: 'min–max', ratio: 'ratio', target: 'target' }
  const cells = (row: Row, head = false) => [
    row.part,
    row.measure,
    row.median,
    row.range,
    row.ratio,
    row.target,
    head ? 'met' : row.ok === undefined ? '' : row.ok ? 'yes' : 'NO',
  ]
  const all = [cells(header, true), ...rows.map((row) => cells(row))]
  const widths = all[0]!.map((_, column) => Math.max(...all.map((line) => line[column]!.length)))
  const line = (values: string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`
  return [line(all[0]!), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...all.slice(1).map(line)].join('\n')
}

export function ms(value: number): string {
  const size = Math.abs(value)
  return size >= 100 ? `${value.toFixed(0)} ms` : size >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`
}

export function msRange(summary: Summary): string {
  return `${ms(summary.min)} – ${ms(summary.max)}`
}

export function ns(value: number): string {
  return `${value.toFixed(Math.abs(value) >= 100 ? 0 : 1)} ns`
}

/** A difference, with its sign: `+12 ms`, `-3.0 ns`. */
export function signed(value: number, format: (value: number) => string): string {
  return value < 0 ? format(value) : `+${format(value)}`
}

export function ratio(value: number): string {
  return `${value.toFixed(value >= 10 ? 1 : value >= 1 ? 2 : 3)}x`
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(value >= 0.1 ? 1 : 2)}%`
}

/** Sizes in KB of 1,000 bytes, the unit of the published reference figures. */
export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(bytes >= 10_000 ? 1 : 2)} KB`
}

/** The parts of a V8 CPU profile (inspector or CDP) that self time is read from. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>
  samples?: number[]
  timeDeltas?: number[]
}

/**
 * The 15 largest shares of self time in a CPU profile, grouped by `nameOf` of each
 * frame; frames it names `undefined` (idle, program) are left out of the total.
 */
export function topSelfTime(profile: CpuProfile, nameOf: (frame: CpuProfile['nodes'][number]['callFrame']) => string | undefined): Array<{ name: string; share: number }> {
  const selfTime = new Map<number, number>()
  profile.samples?.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas?.[index] ?? 0)))
  const byName = new Map<string, number>()
  let total = 0
  for (const node of profile.nodes) {
    const name = nameOf(node.callFrame)
    if (name === undefined) continue
    const time = selfTime.get(node.id) ?? 0
    total += time
    byName.set(name, (byName.get(name) ?? 0) + time)
  }
  return [...byName]
    .map(([name, time]) => ({ name, share: time / total }))
    .sort((a, b) => b.share - a.share)
    .slice(0, 15)
}
