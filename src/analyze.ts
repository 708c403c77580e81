import type { NodePath } from '@babel/core'
import type * as t from '@babel/types'
import { decideStatically, type Decision } from './decide.js'
import { evaluateUrl, isFullyKnown, type StaticString } from './evaluate.js'
import type { ResolvedOptions } from './options.js'
import { RUNTIME_EXPORTS, type RuntimeExport } from './runtime-module.js'

export interface Site {
  kind: 'fetch' | 'xhr' | 'axios'
  /** 1-based line of the call or `new` expression in the input. */
  line: number
  /** 0-based column of the call or `new` expression in the input. */
  column: number
  decision: Decision
  /** The URL, when it is fully known at build time. */
  url?: string
}

/**
 * One change to the program, the same for both writers: text edits for bundlers
 * (`write-text.ts`) and AST edits for the Babel plugin (`babel.ts`).
 */
export type Edit =
  /** Put the helper where the node was (`fetch` -> helper, `window.fetch` -> helper). */
  | { type: 'replace'; path: NodePath<t.Expression>; helper: RuntimeExport }
  /** `{ fetch }` -> `{ fetch: helper }`; with `wrap`, `{ axios }` -> `{ axios: helper(axios) }`. */
  | { type: 'expandShorthand'; path: NodePath<t.ObjectProperty>; helper: RuntimeExport; wrap: boolean }
  /** `expr` -> `helper(expr)`. */
  | { type: 'wrap'; path: NodePath<t.Expression>; helper: RuntimeExport }

export interface Plan {
  sites: Site[]
  edits: Edit[]
  /** CommonJS file (uses require/module/exports and no ESM syntax): helpers come from `require`. */
  commonjs: boolean
}

const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self'])

const AXIOS_REQUEST_METHODS = new Set([
  'request',
  'get',
  'delete',
  'head',
  'options',
  'post',
  'put',
  'patch',
  'postForm',
  'putForm',
  'patchForm',
])

/**
 * Find every outgoing-request call site of a program and decide each one.
 * Reads the AST only; the writers apply `edits`.
 */
export function analyzeProgram(program: NodePath<t.Program>, options: ResolvedOptions): Plan {
  const sites: Site[] = []
  const edits: Edit[] = []
  const runtimeSources = new Set<string>()
  const targets = options.targets

  const addSite = (kind: Site['kind'], at: t.Node, decision: Decision, url?: StaticString): void => {
    const site: Site = { kind, line: at.loc?.start.line ?? 0, column: at.loc?.start.column ?? 0, decision }
    if (url && isFullyKnown(url)) site.url = url.parts[0]
    sites.push(site)
  }

  const isUnbound = (path: NodePath, name: string): boolean => !path.scope.getBinding(name)

  /** `fetch` / `XMLHttpRequest`, or `window.` / `globalThis.` / `self.` of it, all unshadowed. */
  const isGlobalReference = (path: NodePath, name: string): boolean => {
    if (path.isIdentifier({ name })) return isUnbound(path, name)
    if (!path.isMemberExpression()) return false
    const object = path.get('object')
    if (!object.isIdentifier() || !GLOBAL_OBJECTS.has(object.node.name) || !isUnbound(object, object.node.name)) return false
    return propertyName(path.node) === name
  }

  const handleFetch = (path: NodePath<t.Expression>): void => {
    const parent = path.parentPath
    if (!parent) return
    if (isInertContext(path) || isInsideType(path)) return
    // fetch(url, init)
    if ((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee === path.node) {
      const args = parent.get('arguments') as NodePath[]
      const first = args[0]
      const url = first && !first.isSpreadElement() ? evaluateUrl(first) : undefined
      const decision = decideStatically(url, targets)
      addSite('fetch', parent.node, decision, url)
      if (decision !== 'never') edits.push({ type: 'replace', path, helper: decision === 'always' ? 'alwaysTracedFetch' : 'tracedFetch' })
      return
    }
    // fetch.call(thisArg, url) / fetch.apply(...) / fetch.bind(...): the function as a value.
    if (parent.isMemberExpression() && parent.node.object === path.node) {
      const member = propertyName(parent.node)
      if (member !== 'call' && member !== 'apply' && member !== 'bind') return
      const call = parent.parentPath
      let url: StaticString | undefined
      if (member === 'call' && call?.isCallExpression() && call.node.callee === parent.node) {
        const second = (call.get('arguments') as NodePath[])[1]
        url = second && !second.isSpreadElement() ? evaluateUrl(second) : undefined
      }
      const decision = decideStatically(url, targets)
      addSite('fetch', call?.isCallExpression() ? call.node : parent.node, decision, url)
      if (decision !== 'never') edits.push({ type: 'replace', path, helper: decision === 'always' ? 'alwaysTracedFetch' : 'tracedFetch' })
      return
    }
    if (parent.isMemberExpression() || parent.isOptionalMemberExpression()) return
    // Any other use of the value (`const f = fetch`, `.then(fetch)`, `{ fetch }`).
    const decision = decideStatically(undefined, targets)
    addSite('fetch', path.node, decision)
    if (decision === 'never') return
    if (parent.isObjectProperty() && parent.node.shorthand && parent.node.value === path.node) {
      edits.push({ type: 'expandShorthand', path: parent, helper: 'tracedFetch', wrap: false })
    } else {
      edits.push({ type: 'replace', path, helper: 'tracedFetch' })
    }
  }

  const handleXhr = (newExpression: NodePath<t.NewExpression>): void => {
    const callee = newExpression.get('callee') as NodePath<t.Expression>
    if (!isGlobalReference(callee, 'XMLHttpRequest')) return
    // The URL is only known at open(): decided at runtime unless no URL can match.
    const decision = decideStatically(undefined, targets)
    addSite('xhr', newExpression.node, decision)
    if (decision !== 'never') edits.push({ type: 'replace', path: callee, helper: 'TracedXMLHttpRequest' })
  }

  const handleAxiosReference = (reference: NodePath): void => {
    if (!reference.isIdentifier()) return
    if (isInertContext(reference) || isInsideType(reference) || isHelperArgument(reference, runtimeSources)) return
    const parent = reference.parentPath!
    const wrap = (at: NodePath<t.Expression>, site: t.Node, url?: StaticString): void => {
      // The final URL is `baseURL` + `url` with axios' defaults, which any module
      // can change at runtime: only "no target at all" is decidable here.
      const decision = decideStatically(undefined, targets)
      addSite('axios', site, decision, url)
      if (decision === 'never') return
      const holder = at.parentPath
      if (holder?.isObjectProperty() && holder.node.shorthand && holder.node.value === at.node) {
        edits.push({ type: 'expandShorthand', path: holder, helper: 'traceAxios', wrap: true })
      } else {
        edits.push({ type: 'wrap', path: at, helper: 'traceAxios' })
      }
    }
    // axios(config) / axios(url, config)
    if ((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee === reference.node) {
      wrap(reference, parent.node, axiosUrl(parent.get('arguments') as NodePath[], 0))
      return
    }
    if (parent.isMemberExpression() && parent.node.object === reference.node) {
      const method = propertyName(parent.node)
      const call = parent.parentPath
      if (!method || !call?.isCallExpression() || call.node.callee !== parent.node) return
      const args = call.get('arguments') as NodePath[]
      if (method === 'create') {
        // Instances get the interceptor where they are born, so they are traced
        // wherever they are used, in this module or any other.
        if (!isHelperArgument(call, runtimeSources)) wrap(call, call.node)
        return
      }
      if (AXIOS_REQUEST_METHODS.has(method)) wrap(reference, call.node, axiosUrl(args, method === 'request' ? -1 : 0))
      return
    }
    if (parent.isMemberExpression() || parent.isOptionalMemberExpression()) return
    if (parent.isExportSpecifier()) return
    // The default instance handed elsewhere: trace it before it leaves.
    wrap(reference, reference.node)
  }

  program.traverse({
    ImportDeclaration(path) {
      if (RUNTIME_SOURCE_PATTERN.test(path.node.source.value)) runtimeSources.add(path.node.source.value)
    },
  })

  program.traverse({
    Identifier(path) {
      if (path.node.name !== 'fetch') return
      if (!path.isReferencedIdentifier() || !isUnbound(path, 'fetch')) return
      const parent = path.parentPath
      if (parent.isMemberExpression() && parent.node.property === path.node && !parent.node.computed) return
      handleFetch(path as NodePath<t.Expression>)
    },
    MemberExpression(path) {
      if (propertyName(path.node) !== 'fetch') return
      if (!isGlobalReference(path, 'fetch')) return
      handleFetch(path)
    },
    NewExpression(path) {
      handleXhr(path)
    },
  })

  for (const binding of axiosBindings(program, options.axiosModules)) {
    for (const reference of binding.referencePaths) handleAxiosReference(reference)
  }

  sites.sort((a, b) => a.line - b.line || a.column - b.column)
  return { sites, edits, commonjs: isCommonJs(program) }
}

export const RUNTIME_SOURCE_PATTERN = /(^|\/)unplugin-sentry-trace(\/|$)|sentry-trace-runtime/

function propertyName(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name
  if (node.computed && node.property.type === 'StringLiteral') return node.property.value
  return undefined
}

/** Uses that must keep the original value: typeof, delete, identity comparisons, assignment targets. */
function isInertContext(path: NodePath): boolean {
  const parent = path.parentPath
  if (!parent) return true
  if (parent.isUnaryExpression()) return parent.node.operator === 'typeof' || parent.node.operator === 'delete'
  if (parent.isBinaryExpression()) return ['===', '!==', '==', '!=', 'instanceof', 'in'].includes(parent.node.operator)
  if (parent.isAssignmentExpression() && parent.node.left === path.node) return true
  if (parent.isUpdateExpression()) return true
  if ((parent.isForInStatement() || parent.isForOfStatement()) && parent.node.left === path.node) return true
  return false
}

function isInsideType(path: NodePath): boolean {
  return !!path.findParent((ancestor) => ancestor.isTSType() || ancestor.isFlow() || ancestor.isTSTypeQuery())
}

/** Already wrapped by us (a second pass over our own output). */
function isHelperArgument(path: NodePath, runtimeSources: Set<string>): boolean {
  const parent = path.parentPath
  if (!parent?.isCallExpression() || parent.node.arguments[0] !== path.node) return false
  const callee = parent.get('callee')
  if (!callee.isIdentifier()) return false
  const binding = callee.scope.getBinding(callee.node.name)
  if (!binding) return false
  const declaration = binding.path
  if (declaration.isImportSpecifier()) {
    const source = (declaration.parent as t.ImportDeclaration).source.value
    return runtimeSources.has(source) || RUNTIME_SOURCE_PATTERN.test(source)
  }
  if (declaration.isVariableDeclarator()) {
    const init = declaration.node.init
    if (init?.type === 'MemberExpression' && init.object.type === 'CallExpression') {
      const argument = init.object.arguments[0]
      return argument?.type === 'StringLiteral' && RUNTIME_SOURCE_PATTERN.test(argument.value)
    }
  }
  return false
}

function axiosUrl(args: NodePath[], index: number): StaticString | undefined {
  const first = args[0]
  if (!first || first.isSpreadElement()) return undefined
  if (index === 0 && !first.isObjectExpression()) return evaluateUrl(first)
  const config = index === -1 || first.isObjectExpression() ? first : undefined
  if (!config?.isObjectExpression()) return undefined
  for (const property of config.get('properties')) {
    if (property.isObjectProperty() && !property.node.computed && property.node.key.type === 'Identifier' && property.node.key.name === 'url') {
      return evaluateUrl(property.get('value') as NodePath)
    }
  }
  return undefined
}

interface AxiosBinding {
  referencePaths: NodePath[]
}

/** Bindings of the default export of an axios module: `import x from 'axios'`, `const x = require('axios')`. */
function axiosBindings(program: NodePath<t.Program>, modules: string[]): AxiosBinding[] {
  const bindings: AxiosBinding[] = []
  const names = new Set(modules)
  for (const statement of program.get('body')) {
    if (statement.isImportDeclaration() && names.has(statement.node.source.value) && statement.node.importKind !== 'type') {
      for (const specifier of statement.get('specifiers')) {
        const isDefault =
          specifier.isImportDefaultSpecifier() ||
          (specifier.isImportSpecifier() &&
            specifier.node.importKind !== 'type' &&
            (specifier.node.imported.type === 'Identifier' ? specifier.node.imported.name : specifier.node.imported.value) === 'default')
        if (!isDefault) continue
        const binding = program.scope.getBinding(specifier.node.local.name)
        if (binding) bindings.push(binding)
      }
    }
  }
  program.traverse({
    VariableDeclarator(path) {
      const id = path.node.id
      if (id.type !== 'Identifier') return
      const init = path.get('init')
      if (!init.node) return
      if (!isAxiosRequire(init as NodePath, names)) return
      const binding = path.scope.getBinding(id.name)
      if (binding && binding.path === path) bindings.push(binding)
    },
  })
  return bindings
}

function isAxiosRequire(path: NodePath, names: Set<string>): boolean {
  let current = path
  // require('axios').default
  if (current.isMemberExpression() && (current.node.property.type === 'Identifier' ? current.node.property.name : undefined) === 'default') {
    current = current.get('object')
  }
  if (!current.isCallExpression()) return false
  const callee = current.get('callee')
  if (!callee.isIdentifier({ name: 'require' }) || callee.scope.getBinding('require')) return false
  const argument = current.node.arguments[0]
  return argument?.type === 'StringLiteral' && names.has(argument.value)
}

/** CommonJS: no import/export, and a free `require`, `module` or `exports`. */
function isCommonJs(program: NodePath<t.Program>): boolean {
  const body = program.node.body
  if (body.some((statement) => statement.type.startsWith('Import') || statement.type.startsWith('Export'))) return false
  if (program.node.sourceType === 'module' && body.length === 0) return false
  const globals = (program.scope as unknown as { globals: Record<string, unknown> }).globals
  return 'require' in globals || 'module' in globals || 'exports' in globals
}

export type { RuntimeExport }
export { RUNTIME_EXPORTS }
