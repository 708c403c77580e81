/**
 * `npm run bench`: the plugin's costs side by side with the peers', in one run on
 * one machine (issue 5). Prints one table; every timed figure is the median of
 * several runs alternated with what it is compared to.
 *
 * Build and transform ratios are the median of per-round ratios (each round runs
 * every variant back to back), steadier than a ratio of medians when other work
 * loads the machine.
 *
 *   --check          exit 1 when a target is missed, naming each one
 *   --quick          fewer rounds (a smoke run; figures are noisier)
 *   --only=1,3       run only these parts (1 builds, 2 transform, 3 size, 4 requests, 5 coverage)
 *   --markdown=FILE  also write the machine, versions and table as Markdown
 *   --profile        also print where the time goes, self time by function: the
 *                    transform (Node), and tracedFetch on a matching URL, standalone
 *                    and through the SDK (Chromium)
 */

import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { BUNDLERS, measureBuildOverhead, measureColdStart, type BuildOverhead, type ColdStart, type VariantTimes } from './build/overhead.js'
import { prepareChildren } from './child-process.js'
import { compilePackage, REPO_ROOT, TMP_DIR } from './compiled.js'
import { measureCoverage, type Coverage, type Decisions } from './coverage.js'
import { generateApp, MODULE_COUNT, REQUEST_MODULES } from './generate-app.js'
import { measureRequestCost, profileRequest, type RequestCost } from './request/cost.js'
import { measureSize, OTEL_PACKAGES, type SizeResult } from './size.js'
import { formatTable, kb, ms, msRange, ns, percent, ratio, signed, type Row } from './stats.js'
import { measureTransformCost, profileTransform, type GroupCost, type ProfileEntry, type TransformCost } from './transform-cost.js'

const TARGETS = {
  build: { vite: 1.05, webpack: 1.05, esbuild: 1.5 } satisfies Record<(typeof BUNDLERS)[number], number>,
  transformWithSites: 1.5,
  transformNoCandidate: 0.05,
  sizeBytes: 1500,
  addedNsPerMatchingCall: 1000,
  shareOfSdkAdded: 1 / 5,
}

const BUNDLER_NAMES = { vite: 'Vite', webpack: 'webpack', esbuild: 'esbuild' } as const

interface Args {
  check: boolean
  quick: boolean
  parts: Set<number>
  markdown?: string
  profile: boolean
}

function parseArgs(argv: string[]): Args {
  const args: Args = { check: false, quick: false, profile: false, parts: new Set([1, 2, 3, 4, 5]) }
  for (const arg of argv) {
    if (arg === '--check') args.check = true
    else if (arg === '--quick') args.quick = true
    else if (arg === '--profile') args.profile = true
    else if (arg.startsWith('--only=')) args.parts = new Set(arg.slice(7).split(',').map(Number))
    else if (arg.startsWith('--markdown=')) args.markdown = arg.slice(11)
    else throw new Error(`unknown argument ${arg} (see the header of bench/run.ts)`)
  }
  return args
}

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

/** Read from node_modules directly: some packages' `exports` hide their package.json. */
function version(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'not installed'
  }
}

/** The commit measured, and whether the measured sources differ from it. */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    const dirty = git('status', '--porcelain', '--', 'src', 'plugin', 'runtime', 'tsconfig.build.json')
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/, plugin/ or runtime/' : ''}`
  } catch {
    return 'unknown (not a git checkout)'
  }
}

function machine(): string[] {
  let memory = ''
  try {
    memory = execFileSync('free', ['-h'], { encoding: 'utf8' }).trim()
  } catch {
    memory = '(free not available)'
  }
  const packages = ['vite', 'rolldown', 'webpack', 'terser', 'esbuild', '@babel/parser', '@sentry/browser', 'playwright-core', '@sparticuz/chromium', 'axios', 'ky', 'preact', ...OTEL_PACKAGES]
  return [
    `code: ${revision()}`,
    `nproc: ${availableParallelism()}`,
    `load average at start (1/5/15 min): ${loadavg().map((value) => value.toFixed(2)).join(' ')}`,
    `node: ${process.version}`,
    `packages: ${packages.map((name) => `${name} ${version(name)}`).join(', ')}`,
    'free -h:',
    ...memory.split('\n').map((line) => `    ${line}`),
  ]
}

function buildRows(results: BuildOverhead[]): Row[] {
  return results.flatMap((result): Row[] => {
    const name = BUNDLER_NAMES[result.bundler]
    const target = TARGETS.build[result.bundler]
    const compared = (times: VariantTimes) =>
      `${ratio(times.pairRatios.median)} (pairs ${ratio(times.pairRatios.min)}–${ratio(times.pairRatios.max)}; medians ${ratio(times.ratio)}, ${signed(times.times.median - result.bare.median, ms)})`
    const rows: Row[] = [
      { part: '1 build', measure: `${name}, without plugin`, median: ms(result.bare.median), range: msRange(result.bare), ratio: '', target: '' },
      {
        part: '1 build',
        measure: `${name}, with plugin`,
        median: ms(result.plugin.times.median),
        range: msRange(result.plugin.times),
        ratio: compared(result.plugin),
        target: `<= ${ratio(target)}`,
        ok: result.plugin.pairRatios.median <= target,
        missed: `${name} build with the plugin takes ${ratio(result.plugin.pairRatios.median)} the time without > ${ratio(target)}`,
      },
    ]
    if (result.floor) {
      rows.push({
        part: '1 build',
        measure: `${name}, ${result.bundler === 'esbuild' ? 'no-op onLoad reading each script' : 'no-op transform hook on each script'} (floor of a JS plugin)`,
        median: ms(result.floor.times.median),
        range: msRange(result.floor.times),
        ratio: compared(result.floor),
        target: '',
      })
    }
    return rows
  })
}

function coldStartRows(cold: ColdStart): Row[] {
  const files = `${cold.files} files, ${kb(cold.bytes)}`
  return [
    { part: '1 why', measure: 'plugin import, fresh process', median: ms(cold.importMs.median), range: msRange(cold.importMs), ratio: '', target: '' },
    { part: '1 why', measure: `parse, cold (${files})`, median: ms(cold.coldParse.median), range: msRange(cold.coldParse), ratio: '', target: '' },
    {
      part: '1 why',
      measure: `transform, cold (same files)`,
      median: ms(cold.coldTransform.median),
      range: msRange(cold.coldTransform),
      ratio: `${ratio(cold.coldTransform.median / cold.coldParse.median)} of cold parse`,
      target: '',
    },
    { part: '1 why', measure: `parse, warm (same files)`, median: ms(cold.warmParse.median), range: msRange(cold.warmParse), ratio: '', target: '' },
    {
      part: '1 why',
      measure: `transform, warm (same files)`,
      median: ms(cold.warmTransform.median),
      range: msRange(cold.warmTransform),
      ratio: `cold is ${ratio(cold.coldTransform.median / cold.warmTransform.median)} warm`,
      target: '',
    },
  ]
}

function transformRows(cost: TransformCost): Row[] {
  const describe = (group: GroupCost) => `${group.files} files, ${kb(group.bytes)}`
  const pass = (value: number) => `${ms(value)}/pass`
  return [
    { part: '2 transform', measure: `parse, files with sites (${describe(cost.withSites)})`, median: pass(cost.withSites.parse.median), range: msRange(cost.withSites.parse), ratio: '', target: '' },
    {
      part: '2 transform',
      measure: 'transform, same files',
      median: pass(cost.withSites.transform.median),
      range: msRange(cost.withSites.transform),
      ratio: `${ratio(cost.withSites.ratio)} parse (rounds ${ratio(cost.withSites.ratios.min)}–${ratio(cost.withSites.ratios.max)})`,
      target: `<= ${ratio(TARGETS.transformWithSites)}`,
      ok: cost.withSites.ratio <= TARGETS.transformWithSites,
      missed: `transform on files with sites ${ratio(cost.withSites.ratio)} their parse > ${ratio(TARGETS.transformWithSites)}`,
    },
    { part: '2 transform', measure: `parse, files w/o candidate names (${describe(cost.noCandidate)})`, median: pass(cost.noCandidate.parse.median), range: msRange(cost.noCandidate.parse), ratio: '', target: '' },
    {
      part: '2 transform',
      measure: 'transform, same files',
      median: pass(cost.noCandidate.transform.median),
      range: msRange(cost.noCandidate.transform),
      ratio: `${percent(cost.noCandidate.ratio)} of parse`,
      target: `< ${percent(TARGETS.transformNoCandidate)}`,
      ok: cost.noCandidate.ratio < TARGETS.transformNoCandidate,
      missed: `transform on files without candidate names costs ${percent(cost.noCandidate.ratio)} of their parse >= ${percent(TARGETS.transformNoCandidate)}`,
    },
    {
      part: '2 transform',
      measure: `transform, name in text but no site (${describe(cost.candidateNoSite)})`,
      median: pass(cost.candidateNoSite.transform.median),
      range: msRange(cost.candidateNoSite.transform),
      ratio: `${ratio(cost.candidateNoSite.ratio)} parse`,
      target: '',
    },
  ]
}

function sizeRows(size: SizeResult): Row[] {
  const tracing = size.sentryTracing.gzip
  const versus = (bytes: number) => `${percent(bytes / tracing)} of SDK+tracing`
  return [
    {
      part: '3 size',
      measure: 'ours: fetch + XHR + axios + meta pickup',
      median: kb(size.ours.gzip),
      range: `${kb(size.ours.minified)} min`,
      ratio: versus(size.ours.gzip),
      target: `<= ${kb(TARGETS.sizeBytes)}`,
      ok: size.ours.gzip <= TARGETS.sizeBytes,
      missed: `runtime adds ${kb(size.ours.gzip)} min+gzip > ${kb(TARGETS.sizeBytes)}`,
    },
    {
      part: '3 size',
      measure: 'ours: fetch only (+ meta pickup)',
      median: kb(size.oursFetchOnly.gzip),
      range: `${kb(size.oursFetchOnly.minified)} min`,
      ratio: versus(size.oursFetchOnly.gzip),
      target: '< full runtime',
      ok: size.oursFetchOnly.gzip < size.ours.gzip,
      missed: `fetch-only runtime ${kb(size.oursFetchOnly.gzip)} is not smaller than the full one`,
    },
    {
      part: '3 size',
      measure: 'ours on an app already using @sentry/browser (SDK interop)',
      median: kb(size.oursOnSdk.gzip),
      range: `${kb(size.oursOnSdk.minified)} min`,
      ratio: versus(size.oursOnSdk.gzip),
      target: '',
    },
    { part: '3 size', measure: '@sentry/browser init (reference: 32.0 KB)', median: kb(size.sentryInit.gzip), range: `${kb(size.sentryInit.minified)} min`, ratio: '', target: '' },
    { part: '3 size', measure: '+ browserTracingIntegration (reference: 55.9 KB)', median: kb(tracing), range: `${kb(size.sentryTracing.minified)} min`, ratio: '', target: '' },
    size.otel
      ? { part: '3 size', measure: 'OpenTelemetry web tracer + fetch (reference: 17.2 KB)', median: kb(size.otel.gzip), range: `${kb(size.otel.minified)} min`, ratio: '', target: '' }
      : { part: '3 size', measure: 'OpenTelemetry web tracer + fetch (reference: 17.2 KB)', median: 'not installed', range: '', ratio: `needs ${size.otelMissing.join(', ')}`, target: '' },
  ]
}

function requestRows(cost: RequestCost): Row[] {
  const find = (page: string, variant: string) => {
    const found = cost.variants.find((candidate) => candidate.page === page && candidate.variant === variant)
    if (!found) throw new Error(`no request variant ${page} ${variant}`)
    return found
  }
  const raw = find('ours.html', 'raw').nsPerCall.median
  const added = (page: string, variant: string) => find(page, variant).nsPerCall.median - raw
  const sdkModes = ['sentry.html?mode=propagation', 'sentry.html?mode=spans']
  // The target is against the SDK at its cheapest: propagation only, no span recorded.
  const sdkAdded = Math.min(...sdkModes.map((page) => added(page, 'sdk')))
  const row = (page: string, variant: string, measure: string, extra: Partial<Row> = {}): Row => {
    const { nsPerCall, headers } = find(page, variant)
    const traced = headers['sentry-trace'] ? ' [traced]' : ''
    return {
      part: '4 per request',
      measure: `${measure}${traced}`,
      median: ns(nsPerCall.median),
      range: `${ns(nsPerCall.min)} – ${ns(nsPerCall.max)}`,
      ratio: variant === 'raw' && page === 'ours.html' ? 'baseline' : signed(nsPerCall.median - raw, ns),
      target: '',
      ...extra,
    }
  }
  const oursMatching = added('ours.html', 'tracedFetch')
  return [
    row('ours.html', 'raw', 'raw fetch (same no-op underneath)'),
    row('ours.html', 'never', '`never` site (code left untouched)', {
      target: '0 (untouched)',
      ok: cost.neverUntouched,
      missed: 'the transform changed the `never` call site',
    }),
    row('ours.html', 'tracedFetch', 'tracedFetch, matching URL', {
      target: `<= +${ns(TARGETS.addedNsPerMatchingCall)}`,
      ok: oursMatching <= TARGETS.addedNsPerMatchingCall,
      missed: `tracedFetch adds ${ns(oursMatching)} per matching call > ${ns(TARGETS.addedNsPerMatchingCall)}`,
    }),
    row('ours.html', 'tracedFetchNonMatching', 'tracedFetch, non-matching URL'),
    row('ours.html', 'receiverGlobal', '`root.fetch()`, root checked at run time: the global object, matching'),
    row('ours.html', 'receiverOtherRaw', "`api.fetch()` on the app's own object, as written"),
    {
      ...row('ours.html', 'receiverOther', "`api.fetch()` on the app's own object, checked at run time (left as it was)"),
      ratio: signed(find('ours.html', 'receiverOther').nsPerCall.median - find('ours.html', 'receiverOtherRaw').nsPerCall.median, ns) + ' vs as written',
    },
    row('ours.html', 'alwaysTracedFetch', 'alwaysTracedFetch (decided at build)', {
      target: `<= +${ns(TARGETS.addedNsPerMatchingCall)}`,
      ok: added('ours.html', 'alwaysTracedFetch') <= TARGETS.addedNsPerMatchingCall,
      missed: `alwaysTracedFetch adds ${ns(added('ours.html', 'alwaysTracedFetch'))} per call > ${ns(TARGETS.addedNsPerMatchingCall)}`,
    }),
    row(sdkModes[0]!, 'sdk', 'SDK patched fetch, propagation only, matching'),
    row(sdkModes[0]!, 'sdkNonMatching', 'SDK patched fetch, propagation only, non-matching'),
    row(sdkModes[1]!, 'sdk', 'SDK patched fetch, span per request, matching'),
    row(sdkModes[1]!, 'sdkNonMatching', 'SDK patched fetch, span per request, non-matching'),
    row('ours-sdk.html?mode=propagation', 'tracedFetch', 'tracedFetch via the SDK (interop), propagation only, matching'),
    row('ours-sdk.html?mode=spans', 'tracedFetch', 'tracedFetch via the SDK (interop), span per request, matching'),
    row('ours-sdk.html?mode=spans', 'tracedFetchNonMatching', 'tracedFetch via the SDK (interop), non-matching'),
    // Same footing for the interop: main-thread busy time until the page is idle, so the
    // SDK's span work that runs after the promises settle is counted on both sides.
    ...[
      ['sentry.html?mode=spans', 'sdk', 'SDK patched fetch, span per request'],
      ['ours-sdk.html?mode=spans', 'tracedFetch', 'tracedFetch via the SDK (interop), span per request'],
    ].map(
      ([page, variant, label]): Row => {
        const rawBusy = find('ours.html', 'raw').busyNsPerCall.median
        const { busyNsPerCall } = find(page, variant)
        return {
          part: '4 per request',
          measure: `${label}, matching: main-thread busy until idle`,
          median: ns(busyNsPerCall.median),
          range: `${ns(busyNsPerCall.min)} – ${ns(busyNsPerCall.max)}`,
          ratio: signed(busyNsPerCall.median - rawBusy, ns),
          target: '',
        }
      },
    ),
    {
      part: '4 per request',
      measure: "ours added / SDK's added (matching, cheapest SDK mode)",
      median: ratio(oursMatching / sdkAdded),
      range: '',
      ratio: `${ns(oursMatching)} / ${ns(sdkAdded)}`,
      target: `< ${ratio(TARGETS.shareOfSdkAdded)}`,
      ok: oursMatching / sdkAdded < TARGETS.shareOfSdkAdded,
      missed: `tracedFetch adds ${ratio(oursMatching / sdkAdded)} of what the SDK adds >= ${ratio(TARGETS.shareOfSdkAdded)}`,
    },
  ]
}

function coverageRows(coverage: Coverage): Row[] {
  const describe = (d: Decisions) => `${d.always} always, ${d.never} never, ${d.runtime} runtime of ${d.sites}`
  const rows: Row[] = [
    { part: '5 coverage', measure: 'generated app: decided at build', median: percent(coverage.app.decided), range: describe(coverage.app), ratio: '', target: '' },
    {
      part: '5 coverage',
      measure: 'its dependencies (axios, ky, ...)',
      median: percent(coverage.dependencies.decided),
      range: describe(coverage.dependencies),
      ratio: '',
      target: '',
    },
  ]
  rows.push(
    coverage.example
      ? { part: '5 coverage', measure: `example app (${coverage.example.files} files)`, median: percent(coverage.example.decided), range: describe(coverage.example), ratio: '', target: '' }
      : { part: '5 coverage', measure: 'example app', median: 'not there yet', range: 'examples/app/src + trace-options.ts', ratio: '', target: '' },
  )
  return rows
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const rounds = args.quick ? { build: 2, cold: 2, transform: 3, request: 5 } : { build: 7, cold: 5, transform: 7, request: 15 }
  const started = Date.now()
  const info = machine()
  log('compiling the package into bench/.tmp/dist ...')
  compilePackage()
  const app = generateApp(join(TMP_DIR, 'app'))
  log(`generated ${MODULE_COUNT} modules (${REQUEST_MODULES} with requests) in bench/.tmp/app`)
  await prepareChildren()

  const rows: Row[] = []
  const notes: string[] = []
  let coverage: Coverage | undefined
  if (args.parts.has(1) || args.parts.has(5)) {
    log('part 5: coverage (one Vite build with the report) ...')
    coverage = await measureCoverage(app.root)
  }
  if (args.parts.has(2)) {
    log('part 2: transform vs parse ...')
    rows.push(...transformRows(await measureTransformCost(app.root, app.modules, rounds.transform)))
  }
  if (args.parts.has(3)) {
    log('part 3: shipped size ...')
    const size = await measureSize()
    rows.push(...sizeRows(size))
    notes.push(`size, ours (full), minified bytes by module: ${size.ours.bundle.modules.map((module) => `${module.path} ${module.bytes}`).join(', ')}`)
  }
  if (args.parts.has(1)) {
    log(`part 1: builds, ${rounds.build} rounds after a warm-up (fresh process per build) ...`)
    rows.push(...buildRows(await measureBuildOverhead(app.root, rounds.build, log)))
    const candidates = app.modules.map((path) => join(app.root, path)).filter((file) => /\bfetch\b|\bXMLHttpRequest\b|axios/.test(readFileSync(file, 'utf8')))
    const dependencies = coverage!.dependencyFiles.map((file) => join(REPO_ROOT, 'node_modules', file))
    log('part 1: cold start breakdown ...')
    rows.push(...coldStartRows(await measureColdStart([...candidates, ...dependencies], rounds.cold)))
  }
  if (args.parts.has(4)) {
    log(`part 4: per-request cost in Chromium, ${rounds.request} rounds ...`)
    const cost = await measureRequestCost(rounds.request, log)
    rows.push(...requestRows(cost))
    info.push(`chromium: ${cost.chromium}; ${cost.batch} calls per batch`)
  }
  if (args.parts.has(5) && coverage) {
    rows.push(...coverageRows(coverage))
    notes.push(`dependency files with call sites: ${coverage.dependencyFiles.join(', ')}`)
  }
  if (args.profile) {
    const list = (entries: ProfileEntry[]) => entries.map((entry) => `${percent(entry.share)} ${entry.name}`).join(', ')
    log('profile: transform ...')
    notes.push(`profile, transform on files with sites (warm, self time): ${list(await profileTransform(app.root, app.modules))}`)
    log('profile: tracedFetch ...')
    const request = await profileRequest('tracedFetch')
    notes.push(`profile, tracedFetch matching (Chromium, unminified, ${ns(request.nsPerCall)}/call under the profiler, self time): ${list(request.top)}`)
    log('profile: tracedFetch via the SDK, span per request ...')
    const viaSdk = await profileRequest('tracedFetch', 'sdk-spans')
    notes.push(`profile, tracedFetch via the SDK with a span per request (${ns(viaSdk.nsPerCall)}/call under the profiler, self time): ${list(viaSdk.top)}`)
  }
  const partOrder = (row: Row) => Number(row.part[0])
  rows.sort((a, b) => partOrder(a) - partOrder(b))
  info.push(`load average at end (1/5/15 min): ${loadavg().map((value) => value.toFixed(2)).join(' ')}`)
  info.push(`bench time: ${((Date.now() - started) / 1000).toFixed(0)} s`)

  const table = formatTable(rows)
  console.log(info.join('\n'))
  console.log()
  console.log(table)
  console.log()
  for (const note of notes) console.log(note)

  if (args.markdown) {
    writeFileSync(
      args.markdown,
      ['## Machine', '', '```', ...info, '```', '', '## Table', '', table, '', ...notes.map((note) => `- ${note}`), ''].join('\n'),
    )
  }
  const missed = rows.filter((row) => row.ok === false)
  if (args.check && missed.length) {
    for (const row of missed) console.error(`target missed: ${row.missed}`)
    process.exitCode = 1
  }
}

await main()
