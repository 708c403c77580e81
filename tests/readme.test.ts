/** The README documents what the package is: its commands first, and exactly the options the types declare. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PLUGIN_OPTION_NAMES } from '../plugin/options.js'
import { REWRITE_OPTION_NAMES, TRANSFORM_OPTION_NAMES } from '../src/options.js'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The first column of the table under `## Options`: each row's option name. */
function optionsTable(): string[] {
  const section = README.split(/^## /m).find((part) => part.startsWith('Options\n'))
  expect(section, 'an "## Options" section').toBeDefined()
  const rows = section!.split('\n').filter((line) => line.startsWith('| `'))
  return rows.map((row) => /^\| `([^`]+)`/.exec(row)![1]!)
}

describe('README', () => {
  it('starts with the two commands', () => {
    const lines = README.split('\n').slice(0, 6).join('\n')
    expect(lines).toContain('npm install && npm run demo')
    expect(lines).toContain('npm test')
  })

  it('has one row per option the types declare, and no other', () => {
    const declared = [...REWRITE_OPTION_NAMES, ...TRANSFORM_OPTION_NAMES, ...PLUGIN_OPTION_NAMES]
    const documented = optionsTable()
    expect(new Set(documented).size, 'no option documented twice').toBe(documented.length)
    expect([...documented].sort()).toEqual([...declared].sort())
  })

  it('says which license the LICENSE file holds', () => {
    expect(README).toMatch(/## License\s+MIT/)
    expect(readFileSync(new URL('../LICENSE', import.meta.url), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) unplugin-sentry-trace contributors\n/)
  })
})
