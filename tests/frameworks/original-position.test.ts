/** The report's reading of source maps agrees with @jridgewell/trace-mapping at every position of a compiled component. */
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { compile } from 'svelte/compiler'
import { compileScript, parse } from '@vue/compiler-sfc'
import { describe, expect, it } from 'vitest'
import { originalPositions, type EncodedSourceMap } from '../../plugin/original-position.js'

const SVELTE = `<script lang="ts">
  import { onMount } from 'svelte'
  let status: number = $state(0)
  onMount(() => { fetch('/api/a').then((r: Response) => (status = r.status)) })
</script>

<p>{status}</p>
`

const VUE = `<script setup lang="ts">
import { onMounted } from 'vue'
onMounted(async () => { const response: Response = await fetch('/api/b'); console.log(response.status) })
</script>

<template><p>b</p></template>
`

function expectSameAsTraceMapping(code: string, map: EncodedSourceMap & { version: number; sources: string[]; names: string[] }): void {
  const ours = originalPositions(map)
  const reference = new TraceMap(map as ConstructorParameters<typeof TraceMap>[0])
  let mapped = 0
  code.split('\n').forEach((text, index) => {
    for (let column = 0; column <= text.length; column++) {
      const expected = originalPositionFor(reference, { line: index + 1, column })
      const actual = ours(index + 1, column)
      if (expected.source === null) expect(actual, `${index + 1}:${column}`).toBeUndefined()
      else {
        expect(actual, `${index + 1}:${column}`).toEqual({ line: expected.line, column: expected.column })
        mapped++
      }
    }
  })
  expect(mapped).toBeGreaterThan(code.length / 4)
}

describe('originalPositions', () => {
  it('reads a Svelte component map as trace-mapping does', () => {
    const { js } = compile(SVELTE, { filename: 'A.svelte' })
    expectSameAsTraceMapping(js.code, js.map as never)
  })

  it('reads a Vue script map as trace-mapping does', () => {
    const { descriptor } = parse(VUE, { filename: 'B.vue', sourceMap: true })
    const script = compileScript(descriptor, { id: 'b', sourceMap: true })
    expect(script.map).toBeDefined()
    expectSameAsTraceMapping(script.content, script.map as never)
  })

  it('says nothing where the map has no mappings', () => {
    expect(originalPositions({ mappings: '' })(1, 0)).toBeUndefined()
    expect(originalPositions({ mappings: ';;AAAA' })(1, 0)).toBeUndefined()
    expect(originalPositions({ mappings: ';;AAAA' })(3, 5)).toEqual({ line: 1, column: 0 })
  })
})
