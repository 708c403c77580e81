import type * as t from '@babel/types'
import { decideStatically, type Decision } from './decide.js'
import { evaluateUrl, isFullyKnown, type StaticString } from './evaluate.js'
import { escapeRegExp, type ResolvedOptions } from './options.js'
import type { RuntimeExport } from './runtime-module.js'
import { isBound, lookup, walkProgram, type Frame, type Reference, type Scope } from './scope.js'

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
 * (`write-text.ts`) and AST edits for the Babel plugin (`babel.ts`). Nodes are
 * the parser's own objects, so each writer finds them by identity.
 */
export type Edit =
  /** Put the helper where the node was (`fetch` -> helper, `window.fetch` -> helper). */
  | { type: 'replace'; node: t.Expression; helper: RuntimeExport }
  /** `expr` -> `helper(expr)`. */
  | { type: 'wrap'; node: t.Expression; helper: RuntimeExport }
  /** `{ fetch }` -> `{ fetch: helper }`; with `wrap`, `{ axios }` -> `{ axios: helper(axios) }`. */
  | { type: 'expandShorthand'; node: t.ObjectProperty; helper: RuntimeExport; wrap: boolean }

export interface Plan {
  sites: Site[]
  edits: Edit[]
  /** CommonJS file (free require/module/exports, no ESM syntax): helpers come from `require`. */
  commonjs: boolean
}

const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self'])
const COMMONJS_NAMES = new Set(['require', 'module', 'exports'])

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
 *
 * @param code the text `program` was parsed from, when its node offsets index into
 *   it: then functions whose text holds none of the names the walk looks for are
 *   not walked. (Not for ASTs other plugins may have changed.)
 */
export function analyzeProgram(program: t.Program, options: ResolvedOptions, code?: string): Plan {
  const sites: Site[] = []
  const edits: Edit[] = []
  const targets = options.targets
  const axios = axiosDeclarations(program, options.axiosModules)

  const fetchReferences: Array<Reference<t.Identifier | t.MemberExpression>> = []
  const xhrConstructions: Array<Reference<t.NewExpression>> = []
  const axiosReferences: Array<Reference<t.Identifier>> = []
  const commonjsReferences: Array<Reference<t.Identifier>> = []

  const identifierNames = new Set(['fetch', ...axios.names, ...COMMONJS_NAMES])
  const root = walkProgram(program, {
    identifierNames,
    nodeTypes: new Set(['MemberExpression', 'NewExpression']),
    skipFunction: code === undefined ? undefined : textHasNoneOf(code, [...identifierNames, 'XMLHttpRequest']),
    identifier(reference) {
      const name = reference.node.name
      if (name === 'fetch') {
        // `window.fetch`'s property is no reference; the object of `fetch.x` is.
        fetchReferences.push(reference)
      } else if (axios.names.has(name)) {
        axiosReferences.push(reference)
      } else if (COMMONJS_NAMES.has(name)) {
        commonjsReferences.push(reference)
      }
    },
    node(reference) {
      const node = reference.node
      if (node.type === 'MemberExpression' && propertyName(node) === 'fetch' && node.object.type === 'Identifier' && GLOBAL_OBJECTS.has(node.object.name)) {
        fetchReferences.push(reference as Reference<t.MemberExpression>)
      } else if (node.type === 'NewExpression') {
        xhrConstructions.push(reference as Reference<t.NewExpression>)
      }
    },
  })

  const addSite = (kind: Site['kind'], at: t.Node, decision: Decision, url?: StaticString): void => {
    const site: Site = { kind, line: at.loc?.start.line ?? 0, column: at.loc?.start.column ?? 0, decision }
    if (url && isFullyKnown(url)) site.url = url.parts[0]
    sites.push(site)
  }
  const fetchHelper = (decision: Decision): RuntimeExport => (decision === 'always' ? 'alwaysTracedFetch' : 'tracedFetch')

  for (const reference of fetchReferences) {
    const { node, scope, ancestors } = reference
    if (node.type === 'Identifier' ? isBound(scope, 'fetch') : isBound(scope, (node.object as t.Identifier).name)) continue
    if (isInertContext(node, ancestors)) continue
    const parent = ancestors[0]!
    // fetch(url, init)
    if ((parent.node.type === 'CallExpression' || parent.node.type === 'OptionalCallExpression') && parent.key === 'callee') {
      const first = parent.node.arguments[0]
      const url = first && first.type !== 'SpreadElement' ? evaluateUrl(first, scope) : undefined
      const decision = decideStatically(url, targets)
      addSite('fetch', parent.node, decision, url)
      if (decision !== 'never') edits.push({ type: 'replace', node, helper: fetchHelper(decision) })
      continue
    }
    // fetch.call(thisArg, url) / fetch.apply(...) / fetch.bind(...): the function as a value.
    if (parent.node.type === 'MemberExpression' && parent.key === 'object') {
      const member = propertyName(parent.node)
      if (member !== 'call' && member !== 'apply' && member !== 'bind') continue
      const grandparent = ancestors[1]
      const call = grandparent && grandparent.node.type === 'CallExpression' && grandparent.key === 'callee' ? grandparent.node : undefined
      let url: StaticString | undefined
      if (member === 'call' && call) {
        const second = call.arguments[1]
        url = second && second.type !== 'SpreadElement' ? evaluateUrl(second, scope) : undefined
      }
      const decision = decideStatically(url, targets)
      addSite('fetch', call ?? parent.node, decision, url)
      if (decision !== 'never') edits.push({ type: 'replace', node, helper: fetchHelper(decision) })
      continue
    }
    if (parent.node.type === 'MemberExpression' || parent.node.type === 'OptionalMemberExpression') continue
    // Any other use of the value (`const f = fetch`, `.then(fetch)`, `{ fetch }`).
    const decision = decideStatically(undefined, targets)
    addSite('fetch', node, decision)
    if (decision === 'never') continue
    if (parent.node.type === 'ObjectProperty' && parent.node.shorthand && parent.key === 'value') {
      edits.push({ type: 'expandShorthand', node: parent.node, helper: 'tracedFetch', wrap: false })
    } else {
      edits.push({ type: 'replace', node, helper: 'tracedFetch' })
    }
  }

  for (const { node, scope } of xhrConstructions) {
    const callee = node.callee
    const isGlobal =
      callee.type === 'Identifier'
        ? callee.name === 'XMLHttpRequest' && !isBound(scope, 'XMLHttpRequest')
        : callee.type === 'MemberExpression' &&
          propertyName(callee) === 'XMLHttpRequest' &&
          callee.object.type === 'Identifier' &&
          GLOBAL_OBJECTS.has(callee.object.name) &&
          !isBound(scope, callee.object.name)
    if (!isGlobal) continue
    // The URL is only known at open(): decided at runtime unless no URL can match.
    const decision = decideStatically(undefined, targets)
    addSite('xhr', node, decision)
    if (decision !== 'never') edits.push({ type: 'replace', node: callee as t.Expression, helper: 'TracedXMLHttpRequest' })
  }

  for (const reference of axiosReferences) {
    const { node, scope, ancestors } = reference
    if (lookup(scope, node.name) !== root || isInertContext(node, ancestors) || isHelperArgument(ancestors, 0)) continue
    const parent = ancestors[0]!
    const wrap = (at: t.Expression, holder: Frame | undefined, site: t.Node, url?: StaticString): void => {
      // The final URL is `baseURL` + `url` with axios' defaults, which any module
      // can change at runtime: only "no target at all" is decidable here.
      const decision = decideStatically(undefined, targets)
      addSite('axios', site, decision, url)
      if (decision === 'never') return
      if (holder?.node.type === 'ObjectProperty' && holder.node.shorthand && holder.key === 'value') {
        edits.push({ type: 'expandShorthand', node: holder.node, helper: 'traceAxios', wrap: true })
      } else {
        edits.push({ type: 'wrap', node: at, helper: 'traceAxios' })
      }
    }
    // axios(config) / axios(url, config)
    if ((parent.node.type === 'CallExpression' || parent.node.type === 'OptionalCallExpression') && parent.key === 'callee') {
      wrap(node, parent, parent.node, axiosUrl(parent.node.arguments, 'url-first'))
      continue
    }
    if (parent.node.type === 'MemberExpression' && parent.key === 'object') {
      const method = propertyName(parent.node)
      const call = ancestors[1]
      if (!method || !call || call.node.type !== 'CallExpression' || call.key !== 'callee') continue
      if (method === 'create') {
        // Instances get the interceptor where they are born, so they are traced
        // wherever they are used, in this module or any other.
        if (!isHelperArgument(ancestors, 2)) wrap(call.node, ancestors[2], call.node)
        continue
      }
      if (AXIOS_REQUEST_METHODS.has(method)) wrap(node, parent, call.node, axiosUrl(call.node.arguments, method === 'request' ? 'config' : 'url-first'))
      continue
    }
    if (parent.node.type === 'MemberExpression' || parent.node.type === 'OptionalMemberExpression') continue
    if (parent.node.type === 'ExportSpecifier') continue
    // The default instance handed elsewhere: trace it before it leaves.
    wrap(node, parent, node)
  }

  sites.sort((a, b) => a.line - b.line || a.column - b.column)
  return { sites, edits, commonjs: isCommonJs(program, commonjsReferences) }
}

function propertyName(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name
  if (node.computed && node.property.type === 'StringLiteral') return node.property.value
  return undefined
}

/** Uses that must keep the original value: typeof, delete, identity comparisons, assignment targets. */
function isInertContext(node: t.Node, ancestors: Frame[]): boolean {
  const parent = ancestors[0]
  if (!parent) return true
  const container = parent.node
  switch (container.type) {
    case 'UnaryExpression':
      return container.operator === 'typeof' || container.operator === 'delete'
    case 'BinaryExpression':
      return ['===', '!==', '==', '!=', 'instanceof', 'in'].includes(container.operator)
    case 'AssignmentExpression':
      return container.left === node
    case 'UpdateExpression':
      return true
    case 'ForInStatement':
    case 'ForOfStatement':
      return container.left === node
    default:
      return false
  }
}

/**
 * Already wrapped by us (a second pass over our own output): the node at
 * `ancestors[depth]`'s child is the first argument of a call to a helper.
 */
function isHelperArgument(ancestors: Frame[], depth: number): boolean {
  const holder = ancestors[depth]
  if (!holder || holder.node.type !== 'CallExpression' || holder.key !== 'arguments' || holder.index !== 0) return false
  const callee = holder.node.callee
  return callee.type === 'Identifier' && callee.name.startsWith('__sentryTrace_')
}

function axiosUrl(args: t.CallExpression['arguments'], shape: 'url-first' | 'config'): StaticString | undefined {
  const first = args[0]
  if (!first || first.type === 'SpreadElement' || first.type === 'ArgumentPlaceholder') return undefined
  if (shape === 'url-first' && first.type !== 'ObjectExpression') return evaluateUrl(first, EMPTY_SCOPE)
  if (first.type !== 'ObjectExpression') return undefined
  for (const property of first.properties) {
    if (property.type === 'ObjectProperty' && !property.computed && property.key.type === 'Identifier' && property.key.name === 'url') {
      return evaluateUrl(property.value, EMPTY_SCOPE)
    }
  }
  return undefined
}

/** For the informational `url` of axios sites: literals only, no bindings. */
const EMPTY_SCOPE: Scope = { parent: undefined, isFunction: true, declared: undefined, consts: undefined }

/**
 * A test of "does the text of this node hold none of `names`?", from one scan of
 * `code` (names match anywhere, even inside longer words: a cheap overestimate).
 * A backslash counts as a match: escapes spell names the text does not show
 * (`\u0066etch()`, `window['fe\x74ch']`).
 */
function textHasNoneOf(code: string, names: string[]): (node: t.Node) => boolean {
  const pattern = new RegExp([...names.map(escapeRegExp), '\\\\'].join('|'), 'g')
  const offsets: number[] = []
  for (let match = pattern.exec(code); match; match = pattern.exec(code)) offsets.push(match.index)
  return (node) => {
    const { start, end } = node
    if (typeof start !== 'number' || typeof end !== 'number') return false
    // The first offset at or after `start`.
    let low = 0
    let high = offsets.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (offsets[middle]! < start) low = middle + 1
      else high = middle
    }
    return low === offsets.length || offsets[low]! >= end
  }
}

/**
 * Top-level bindings of the default export of an axios module:
 * `import x from 'axios'`, `const x = require('axios')` (or `.default`).
 * All live in the program scope: a reference is to one of them when its name
 * resolves to the root scope.
 */
function axiosDeclarations(program: t.Program, modules: string[]): { names: Set<string> } {
  const names = new Set<string>()
  const wanted = new Set(modules)
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      if (!wanted.has(statement.source.value) || statement.importKind === 'type') continue
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ImportDefaultSpecifier') names.add(specifier.local.name)
        else if (specifier.type === 'ImportSpecifier' && specifier.importKind !== 'type') {
          const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value
          if (imported === 'default') names.add(specifier.local.name)
        }
      }
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        if (declarator.id.type === 'Identifier' && declarator.init && isAxiosRequire(declarator.init, wanted)) names.add(declarator.id.name)
      }
    }
  }
  return { names }
}

function isAxiosRequire(node: t.Node, names: Set<string>): boolean {
  let current = node
  if (current.type === 'MemberExpression' && propertyName(current) === 'default') current = current.object
  if (current.type !== 'CallExpression' || current.callee.type !== 'Identifier' || current.callee.name !== 'require') return false
  const argument = current.arguments[0]
  return argument?.type === 'StringLiteral' && names.has(argument.value)
}

/** CommonJS: no import/export, and a free `require`, `module` or `exports`. */
function isCommonJs(program: t.Program, references: Array<Reference<t.Identifier>>): boolean {
  if (program.body.some((statement) => statement.type.startsWith('Import') || statement.type.startsWith('Export'))) return false
  return references.some(({ node, scope }) => !isBound(scope, node.name))
}
