/**
 * Part 4's standalone page built from two or more compiled trees, every page open in
 * one Chromium, batches interleaved (the order reversed every other round): on a busy
 * machine, load hits every tree alike, so the medians compare where a full part 4
 * run would not. Each tree is a `tsc -p tsconfig.build.json --outDir <dir>` output of
 * some checkout of this repository, e.g. the base branch and the working tree:
 *
 *   npx tsx bench/request/ab.ts <dir>,<dir> [rounds] [variant,variant,...]
 *
 * Prints the headers each page's probe call sent, then the median ns per call of each
 * variant (bench/request/page-ours.ts) per tree, in the order given.
 */

import { join, resolve } from 'node:path'
import { summarize } from '../stats.js'
import { buildOursPage, launch, openPage } from './cost.js'

const [trees = '', roundsArg = '15', variantsArg = 'raw,tracedFetch,alwaysTracedFetch,receiverGlobal,tracedFetchNonMatching'] = process.argv.slice(2)
const dirs = trees.split(',').filter(Boolean)
if (dirs.length < 2) throw new Error('usage: npx tsx bench/request/ab.ts <compiled dir>,<compiled dir> [rounds] [variants]')
const rounds = Number(roundsArg)
const variants = variantsArg.split(',')
const BATCH = 10_000

const bundles = await Promise.all(dirs.map((dir) => buildOursPage(true, 'page-ours.ts', false, join(resolve(dir), 'plugin/esbuild.js'))))
const browser = await launch()
try {
  const pages = await Promise.all(bundles.map((bundle, index) => openPage(browser, { name: `ours${index}`, path: `/ours${index}.html`, bundle })))
  for (const [index, page] of pages.entries()) {
    for (const variant of variants) console.log(dirs[index], variant, JSON.stringify(await page.evaluate((v) => globalThis.__bench!.probe(v), variant)))
  }
  const samples = pages.map(() => new Map<string, number[]>(variants.map((variant) => [variant, []])))
  // Three uncounted rounds warm every path up.
  for (let round = -3; round < rounds; round++) {
    for (const variant of variants) {
      const order = [...pages.keys()]
      if (round % 2) order.reverse()
      for (const index of order) {
        const ns = await pages[index]!.evaluate(([v, n]) => globalThis.__bench!.run(v, n), [variant, BATCH] as const)
        if (round >= 0) samples[index]!.get(variant)!.push(ns)
      }
    }
  }
  console.log(['variant', ...dirs].join('\t'))
  for (const variant of variants) console.log([variant, ...samples.map((byVariant) => summarize(byVariant.get(variant)!).median.toFixed(0))].join('\t'))
} finally {
  await browser.close()
}
