import type { ConfigAPI, NodePath, PluginObj, PluginPass, types as BabelTypes } from '@babel/core'
import { createFilter, type FilterPattern } from '@rollup/pluginutils'
import { analyzeProgram, type Edit, type Site } from './analyze.js'
import { localNameOf, planPreamble, preambleSource, runtimeWiring, type Preamble } from './inject.js'
import { PACKAGE_NAME } from './names.js'
import { checkFilterPattern, checkModuleName, checkOptionNames, REWRITE_OPTION_NAMES, TRANSFORM_OPTION_NAMES, type RewriteOptions } from './options.js'
import { parse } from './parse.js'
import { isRuntimeFile, logSites, resolveCached } from './transform.js'

export interface BabelPluginOptions extends RewriteOptions {
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
  checkBabelPluginOptions(pluginOptions ?? {})
  const { entry = false, runtimeModule, ...options } = pluginOptions ?? {}
  const resolved = resolveCached(options)
  const wiring = runtimeWiring(resolved, runtimeModule)
  const isEntry = entryMatcher(entry)

  return {
    name: PACKAGE_NAME,
    visitor: {
      Program(program, state) {
        const filename = state.filename
        if (filename && (!resolved.filter(filename) || isRuntimeFile(filename, state.file.code ?? undefined))) return
        const plan = analyzeProgram(program.node, resolved, undefined, filename)
        const code = state.file.code ?? ''
        const preamble = planPreamble(program.node, code, plan, wiring, filename ? isEntry(filename) : entry === true)
        applyEdits(program, plan.edits, preamble, t)
        insertPreamble(program, preamble, t)
        ;(state.file.metadata as unknown as { sentryTrace: SentryTraceMetadata }).sentryTrace = { sites: plan.sites }
        if (resolved.debug) logSites(filename ?? '<anonymous>', plan.sites)
      },
    },
  }
}

/**
 * Apply the plan through Babel's paths (so bindings and later plugins stay
 * consistent). Edits name the parser's node objects; find each by identity.
 */
function applyEdits(program: NodePath<BabelTypes.Program>, edits: Edit[], preamble: Preamble, t: typeof BabelTypes): void {
  if (edits.length === 0) return
  const pending = new Map<BabelTypes.Node, Edit>(edits.map((edit) => [edit.node, edit]))
  const apply = (path: NodePath, edit: Edit): void => {
    const local = t.identifier(localNameOf(preamble, edit.helper))
    local.loc = edit.node.loc ?? null
    switch (edit.type) {
      case 'replace':
        path.replaceWith(local)
        return
      case 'wrap':
        path.replaceWith(t.callExpression(local, edit.key ? [edit.node, t.identifier(edit.key.name)] : [edit.node]))
        return
      case 'expandShorthand': {
        const key = edit.node.key as BabelTypes.Identifier
        edit.node.shorthand = false
        edit.node.value = edit.wrap ? t.callExpression(local, [t.identifier(key.name)]) : local
        return
      }
    }
  }
  program.traverse({
    enter(path) {
      const edit = pending.get(path.node)
      if (!edit) return
      // Once: a wrapped node is visited again inside its wrapper.
      pending.delete(path.node)
      apply(path, edit)
      if (pending.size === 0) path.stop()
    },
    // Inner edits of a wrapped node are still pending when the wrapper is built: they
    // stay on the same node objects, which the traversal reaches next.
  })
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

// Every name the type declares is checked below (a compile error otherwise).
const _everyBabelOption: [Exclude<keyof BabelPluginOptions, (typeof REWRITE_OPTION_NAMES)[number] | (typeof TRANSFORM_OPTION_NAMES)[number]>] extends [never] ? true : never = true
void _everyBabelOption

/** Every option checked when Babel loads the plugin: the shared ones by `resolveOptions`, these two here. */
function checkBabelPluginOptions(options: BabelPluginOptions): void {
  checkOptionNames(options, [...REWRITE_OPTION_NAMES, ...TRANSFORM_OPTION_NAMES])
  if (typeof options.entry !== 'boolean' && typeof options.entry !== 'function') checkFilterPattern(options.entry, 'entry')
  checkModuleName(options.runtimeModule, 'runtimeModule')
}

function entryMatcher(entry: BabelPluginOptions['entry']): (filename: string) => boolean {
  if (typeof entry === 'boolean') return () => entry
  if (typeof entry === 'function') return entry
  return createFilter(entry)
}

/** What `require()` of this entry returns (Node's require of an ES module): the plugin itself, as `import` gives it. */
export { sentryTraceBabelPlugin as 'module.exports' }
