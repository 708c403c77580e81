import { VISITOR_KEYS as BABEL } from '@babel/types'
import { expect, it } from 'vitest'
import { VISITOR_KEYS } from '../src/visitor-keys.js'

it('the scope walk knows the child properties of every node type of the installed @babel/types', () => {
  // Regenerate with `npx tsx scripts/generate-visitor-keys.ts` when Babel adds node types.
  expect(VISITOR_KEYS).toEqual(Object.fromEntries(Object.entries(BABEL)))
})
