/**
 * Only modules that can hold a call site reach the parser: the filters the plugin
 * hands each bundler, read off the plugin objects themselves.
 */

import type { TransformHookFilter, UnpluginContextMeta, UnpluginOptions } from 'unplugin'
import { describe, expect, it } from 'vitest'
import { unpluginFactory } from '../../plugin/core.js'
import { resolvePluginOptions, type PluginOptions } from '../../plugin/options.js'

const optionsHash = (options: PluginOptions): string => resolvePluginOptions(options).hash

function plugins(framework: UnpluginContextMeta['framework'], options: PluginOptions = {}): UnpluginOptions[] {
  const meta = { framework, versions: {} } as UnpluginContextMeta
  return [unpluginFactory(options, meta)].flat()
}

function transformFilter(plugin: UnpluginOptions): TransformHookFilter {
  const hook = plugin.transform as { filter?: TransformHookFilter } | undefined
  expect(hook?.filter).toBeDefined()
  return hook!.filter!
}

function matches(patterns: unknown, value: string): boolean {
  return [patterns].flat().some((pattern) => pattern instanceof RegExp && pattern.test(value))
}

describe('native hook filters', () => {
  it('give Rollup, Rolldown and Vite a code filter: only text naming fetch, XMLHttpRequest or axios is parsed', () => {
    for (const framework of ['rollup', 'rolldown', 'vite'] as const) {
      const [main] = plugins(framework, { axios: ['axios', '@app/http'] })
      const { code } = transformFilter(main!)
      expect(matches(code, "fetch('/api')")).toBe(true)
      expect(matches(code, 'new XMLHttpRequest()')).toBe(true)
      expect(matches(code, "import http from '@app/http'")).toBe(true)
      expect(matches(code, 'const prefetch = 1; refetchQueries()')).toBe(false)
      expect(matches(code, "import { h } from 'preact'")).toBe(false)
    }
  })

  it('let only scripts through by id, and never the configured runtime module', () => {
    const [main] = plugins('rolldown')
    const { id } = transformFilter(main!) as { id: { include: RegExp[]; exclude: RegExp[] } }
    for (const file of ['/app/src/main.ts', '/app/src/App.tsx', '/app/node_modules/ky/index.js', '/app/lib.cjs', '/app/App.vue?vue&type=script&lang.ts']) {
      expect(matches(id.include, file), file).toBe(true)
    }
    for (const file of ['/app/src/style.css', '/app/index.html', '/app/logo.svg']) expect(matches(id.include, file), file).toBe(false)
    for (const file of ['\0unplugin-sentry-trace/configured-runtime', '/app/_virtual_unplugin-sentry-trace%2Fconfigured-runtime']) {
      expect(matches(id.exclude, file), file).toBe(true)
    }
  })

  it('leave a custom `include` to the handler, which applies it exactly', () => {
    const [main] = plugins('rollup', { include: ['src/**/*.ts'] })
    expect(transformFilter(main!).id).toEqual({ exclude: [expect.any(RegExp)] })
  })

  it('give esbuild a narrow onLoad filter for files: it calls into JavaScript for every file it matches', async () => {
    const [main] = plugins('esbuild')
    const onLoads: Array<{ filter: RegExp; namespace?: string }> = []
    const build = {
      initialOptions: {},
      onStart: () => undefined,
      onResolve: () => undefined,
      onEnd: () => undefined,
      onLoad: (options: { filter: RegExp; namespace?: string }) => void onLoads.push(options),
    }
    await (main!.esbuild!.setup as (build: unknown) => Promise<void>)(build)
    expect(main!.transform).toBeUndefined()
    // Every namespace (Yarn PnP's plugin loads from `pnp`); the runtime module's own is separate.
    const files = onLoads.filter((options) => options.namespace === undefined)
    expect(files).toHaveLength(1)
    const { filter } = files[0]!
    expect(filter.test('/app/src/main.ts')).toBe(true)
    expect(filter.test('/app/node_modules/ky/distribution/index.js')).toBe(true)
    expect(filter.test('/app/src/style.css')).toBe(false)
    expect(filter.test('/app/assets/logo.png')).toBe(false)
  })

  it('give webpack and Rspack no code filter: their entries get the pickup whatever they contain', () => {
    for (const framework of ['webpack', 'rspack'] as const) {
      const all = plugins(framework)
      expect(all).toHaveLength(1)
      expect(transformFilter(all[0]!).code).toBeUndefined()
    }
  })

  it('key the Vite pre-bundle on the options that change the rewrite', () => {
    const base: PluginOptions = { tracePropagationTargets: [/^\/api/] }
    expect(optionsHash(base)).toBe(optionsHash({ tracePropagationTargets: [/^\/api/] }))
    expect(optionsHash(base)).toBe(optionsHash({ ...base, debug: true, report: 'report.json' }))
    expect(optionsHash(base)).not.toBe(optionsHash({ tracePropagationTargets: [/^\/v2/] }))
    expect(optionsHash(base)).not.toBe(optionsHash({ ...base, exclude: [/node_modules/] }))
    expect(optionsHash(base)).not.toBe(optionsHash({ ...base, propagateTraceparent: true }))
  })
})
