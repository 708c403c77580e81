import type { ConfigAPI, NodePath, PluginObj, PluginPass, types as BabelTypes } from '@babel/core'
import { parse } from '@babel/parser'
import { createFilter, type FilterPattern } from '@rollup/pluginutils'
import { analyzeProgram, type Edit, type Site } from './analyze.js'
import { localNameOf, planPreamble, preambleSource, runtimeWiring, type Preamble } from './inject.js'
import type { Options } from './options.js'
import { isRuntimeFile, logSites, resolveCached } from './transform.js'

export interface BabelPluginOptions extends Options {
  /**
   * Which files are entry points of the app (they import the meta-tag pickup
   * first): `true` for every file, or globs / RegExps matched against the filename.
   * @default false
   */
  entry?: boolean | FilterPattern | ((filename: string) => boolean)
  /** See `TransformOptions.runtimeModule`. */
  runtimeModule?: string
}

/** What the plugin found in a file, on `result.metadata.sentryTrace`. */
export interface SentryTraceMetadata {
  sites: Site[]
}

type BabelApi = ConfigAPI & { types: typeof BabelTypes; assertVersion(range: number | string): void }

/**
 * The Babel plugin: the same analysis and decisions as `transform()`, applied
 * as AST edits so it composes with the rest of a Babel pipeline.
 */
export default function sentryTraceBabelPlugin(api: BabelApi, pluginOptions: BabelPluginOptions = {}): PluginObj<PluginPass> {
  api.assertVersion('^7.20.0 || ^8.0.0-0')
  const t = api.types
  const { entry = false, runtimeModule, ...options } = pluginOptions ?? {}
  const resolved = resolveCached(options)
  const wiring = runtimeWiring(resolved, runtimeModule)
  const isEntry = entryMatcher(entry)

  const applyEdit = (edit: Edit, preamble: Preamble): void => {
    const local = t.identifier(localNameOf(preamble, edit.helper))
    local.loc = edit.path.node.loc ?? null
    switch (edit.type) {
      case 'replace':
        edit.path.replaceWith(local)
        return
      case 'wrap':
        edit.path.replaceWith(t.callExpression(local, [edit.path.node]))
        return
      case 'expandShorthand': {
        const property = edit.path.node
        const key = property.key as BabelTypes.Identifier
        property.shorthand = false
        property.value = edit.wrap ? t.callExpression(local, [t.identifier(key.name)]) : local
        return
      }
    }
  }

  return {
    name: 'unplugin-sentry-trace',
    visitor: {
      Program(program, state) {
        const filename = state.filename
        if (filename && (isRuntimeFile(filename) || !resolved.filter(filename))) return
        const plan = analyzeProgram(program, resolved)
        const preamble = planPreamble(program, plan, wiring, filename ? isEntry(filename) : entry === true)
        const edits = [...plan.edits].sort((a, b) => size(a.path.node) - size(b.path.node))
        for (const edit of edits) applyEdit(edit, preamble)
        insertPreamble(program, preamble, t)
        ;(state.file.metadata as unknown as { sentryTrace: SentryTraceMetadata }).sentryTrace = { sites: plan.sites }
        if (resolved.debug) logSites(filename ?? '<anonymous>', plan.sites)
      },
    },
  }
}

function size(node: BabelTypes.Node): number {
  return (node.end ?? 0) - (node.start ?? 0)
}

/** Parse the same preamble text the text writer inserts, and register its bindings. */
function insertPreamble(program: NodePath<BabelTypes.Program>, preamble: Preamble, t: typeof BabelTypes): void {
  const source = preambleSource(preamble)
  if (!source) return
  const statements = parse(source, { sourceType: preamble.commonjs ? 'script' : 'module' }).program.body
  for (const statement of statements) t.removePropertiesDeep(statement)
  const inserted = program.unshiftContainer('body', statements as BabelTypes.Statement[])
  for (const path of inserted) {
    if (path.isImportDeclaration() || path.isVariableDeclaration()) program.scope.registerDeclaration(path)
  }
}

function entryMatcher(entry: BabelPluginOptions['entry']): (filename: string) => boolean {
  if (typeof entry === 'boolean') return () => entry
  if (typeof entry === 'function') return entry
  return createFilter(entry)
}
