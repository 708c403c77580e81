import type * as t from '@babel/types'
import { decideStatically, type Decision } from './decide.js'
import { evaluateUrl, isFullyKnown, type StaticString } from './evaluate.js'
import { escapeRegExp, stripQuery, type ResolvedOptions } from './options.js'
import type { RuntimeExport } from './runtime-module.js'
import { classifyObject, GLOBAL_OBJECT_NAMES, staticPropertyName, type ObjectKind } from './global-object.js'
import { HELPER_PREFIX } from './names.js'
import { isBound, lookup, walkProgram, type Frame, type Reference, type Scope } from './scope.js'

export interface Site {
  /** `worker`: a `new Worker(...)` / `new SharedWorker(...)` that hands the page's trace to the worker it starts. */
  kind: 'fetch' | 'xhr' | 'axios' | 'worker'
  /** 1-based line of the call or `new` expression in the input. */
  line: number
  /** 0-based column of the call or `new` expression in the input. */
  column: number
  decision: Decision
  /** The URL, when it is fully known at build time (a worker's: its script, relative to the module for `new URL(..., import.meta.url)`). */
  url?: string
  /**
   * `'runtime'` when the object `fetch` or `XMLHttpRequest` is read from may or may
   * not be the global object (a parameter, a reassigned variable): the rewritten
   * code checks that at run time and leaves every other object's member as it was.
   */
  receiver?: 'runtime'
}

/**
 * One change to the program, the same for both writers: text edits for bundlers
 * (`write-text.ts`) and AST edits for the Babel plugin (`babel.ts`). Nodes are
 * the parser's own objects, so each writer finds them by identity.
 */
export type Edit =
  /** Put the helper where the node was (`fetch` -> helper, `window.fetch` -> helper). */
  | { type: 'replace'; node: t.Expression; helper: RuntimeExport }
  /**
   * `expr` -> `helper(expr)`; `(helper(expr))` where it is the callee of `new`;
   * `helper(expr, key)` with the variable `key` of a dynamic member (`window[key](...)`).
   */
  | { type: 'wrap'; node: t.Expression; helper: RuntimeExport; parenthesize?: boolean; key?: t.Identifier }
  /** `{ fetch }` -> `{ fetch: helper }`; with `wrap`, `{ axios }` -> `{ axios: helper(axios) }`. */
  | { type: 'expandShorthand'; node: t.ObjectProperty; helper: RuntimeExport; wrap: boolean }

export interface Plan {
  sites: Site[]
  edits: Edit[]
  /**
   * How the file is written: `module` (ESM syntax), `commonjs` (no ESM syntax, a
   * free require/module/exports) or `script` (neither: a classic script, a UMD
   * bundle that feature-tests its host). Only ESM may gain an `import`.
   */
  format: 'module' | 'commonjs' | 'script'
}

const COMMONJS_NAMES = new Set(['require', 'module', 'exports'])
const ESM_ID = /\.m[jt]s$/

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
export function analyzeProgram(program: t.Program, options: ResolvedOptions, code?: string, id?: string): Plan {
  const sites: Site[] = []
  const edits: Edit[] = []
  const targets = options.targets
  const pages = options.pages
  const axios = axiosDeclarations(program, options.axiosModules)

  const fetchReferences: Array<Reference<t.Identifier | t.MemberExpression | t.OptionalMemberExpression>> = []
  const xhrConstructions: Array<Reference<t.NewExpression>> = []
  const axiosReferences: Array<Reference<t.Identifier>> = []
  const commonjsReferences: Array<Reference<t.Identifier>> = []
  /** Writes to a member named `fetch`: `window.fetch = saved` must store what the app saved. */
  const fetchWrites: Array<Reference<t.AssignmentExpression>> = []
  /** `class X extends XMLHttpRequest`: an app's own subclass. */
  const xhrSubclasses: Array<Reference<t.Class>> = []
  /** `window[key]`: a member of some object by a variable name. */
  const dynamicMembers: Array<Reference<t.MemberExpression | t.OptionalMemberExpression>> = []
  /** `const { fetch } = window`, `({ fetch } = root)`: fetch read by destructuring. */
  const destructurings: Array<{ node: t.Node; source: t.Expression; scope: Scope }> = []

  const identifierNames = new Set(['fetch', ...axios.names, ...COMMONJS_NAMES])
  const root = walkProgram(program, {
    identifierNames,
    nodeTypes: new Set(['MemberExpression', 'OptionalMemberExpression', 'NewExpression', 'AssignmentExpression', 'VariableDeclarator', 'ClassDeclaration', 'ClassExpression']),
    // A function is walked when its text names what is looked for, the global object
    // included (`window[key](...)`, `new root.XMLHttpRequest()` need no other name).
    skipFunction: code === undefined ? undefined : textHasNoneOf(code, [...identifierNames, 'XMLHttpRequest', 'Worker', ...GLOBAL_OBJECT_NAMES]),
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
    accepts(node) {
      switch (node.type) {
        case 'MemberExpression':
        case 'OptionalMemberExpression':
          return staticPropertyName(node) === 'fetch' || (node.computed && node.property.type === 'Identifier')
        case 'AssignmentExpression':
          return fetchWrite(node) || destructuresFetch(node.left)
        case 'VariableDeclarator':
          return !!node.init && destructuresFetch(node.id)
        case 'ClassDeclaration':
        case 'ClassExpression':
          return !!node.superClass
        default:
          return true
      }
    },
    node(reference) {
      const node = reference.node
      if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
        if (staticPropertyName(node) === 'fetch') fetchReferences.push(reference as Reference<t.MemberExpression>)
        else if (node.computed && node.property.type === 'Identifier') dynamicMembers.push(reference as Reference<t.MemberExpression>)
      } else if (node.type === 'NewExpression') {
        xhrConstructions.push(reference as Reference<t.NewExpression>)
      } else if ((node.type === 'ClassDeclaration' || node.type === 'ClassExpression') && node.superClass) {
        xhrSubclasses.push(reference as Reference<t.Class>)
      } else if (node.type === 'AssignmentExpression') {
        if (fetchWrite(node)) fetchWrites.push(reference as Reference<t.AssignmentExpression>)
        else if (destructuresFetch(node.left)) destructurings.push({ node, source: node.right, scope: reference.scope })
      } else if (node.type === 'VariableDeclarator' && node.init && destructuresFetch(node.id)) {
        destructurings.push({ node, source: node.init, scope: reference.scope })
      }
    },
  })

  const addSite = (kind: Site['kind'], at: t.Node, decision: Decision, url?: StaticString, receiver?: ObjectKind): void => {
    const site: Site = { kind, line: at.loc?.start.line ?? 0, column: at.loc?.start.column ?? 0, decision }
    if (url && isFullyKnown(url)) site.url = url.parts[0]
    if (receiver === 'unknown') site.receiver = 'runtime'
    sites.push(site)
  }
  const fetchHelper = (decision: Decision): RuntimeExport => (decision === 'always' ? 'alwaysTracedFetch' : 'tracedFetch')

  /** The operands compared with a global fetch: they go through untraceFetchFunction. */
  const compared = new Set<t.Node>()

  for (const reference of fetchReferences) {
    const { node, scope, ancestors } = reference
    if (isHelperArgument(ancestors, 0)) continue
    const parent = ancestors[0]!
    if (node.type === 'Identifier' && isBound(scope, 'fetch')) {
      // A local `fetch` (a parameter, an import, `let { fetch } = ...`) may hold the
      // global fetch: its calls are traced when it does, checked at run time.
      if (!isCalleeFrame(parent) || cannotHoldTracedFetch(node, scope) || isLocalFunction(scope)) continue
      const call = parent.node as t.CallExpression
      const url = firstArgumentUrl(call, scope)
      const decision = decideStatically(url, targets, pages)
      addSite('fetch', call, decision, url, 'unknown')
      if (decision !== 'never') edits.push({ type: 'wrap', node, helper: 'traceFetchIfGlobal' })
      continue
    }
    // The free `fetch`, or a member of an object that is (or may be) the global object.
    const holder = node.type === 'Identifier' ? 'global' : classifyObject(node.object, scope)
    if (holder === 'other') continue
    if (isComparison(parent.node)) {
      // `window.fetch === mock`, `saved !== window.fetch`: the other side is compared as
      // the function it stands for (ours give back theirs), this side as it is.
      const other = parent.key === 'left' ? (parent.node as t.BinaryExpression).right : (parent.node as t.BinaryExpression).left
      // Another read of the global's fetch is compared as it is (a local `fetch` may hold ours).
      const otherIsFetch =
        (other.type === 'Identifier' && other.name === 'fetch' && !isBound(scope, 'fetch')) ||
        ((other.type === 'MemberExpression' || other.type === 'OptionalMemberExpression') && staticPropertyName(other) === 'fetch' && classifyObject(other.object, scope) === 'global')
      if (decideStatically(undefined, targets, pages) !== 'never' && !otherIsFetch && !compared.has(other) && !isHelperCall(other) && !cannotHoldTracedFetch(other, scope)) {
        compared.add(other)
        edits.push({ type: 'wrap', node: other as t.Expression, helper: 'untraceFetchFunction' })
      }
      continue
    }
    if (isInertContext(node, ancestors)) continue
    const member = node.type !== 'Identifier' ? node : undefined
    const isCallee = isCalleeFrame(parent)
    if (holder === 'unknown') {
      // `root.fetch(...)`: the call keeps its `this` and evaluation order, and only
      // becomes a traced call when `root` turns out to be the global object.
      const call = isCallee ? (parent.node as t.CallExpression) : undefined
      const url = call ? firstArgumentUrl(call, scope) : undefined
      const decision = decideStatically(url, targets, pages)
      addSite('fetch', call ?? node, decision, url, holder)
      if (decision === 'never') continue
      if (call) edits.push({ type: 'wrap', node: member!.object as t.Expression, helper: 'traceFetchOn' })
      else edits.push({ type: 'wrap', node, helper: 'traceFetchIfGlobal' })
      continue
    }
    // fetch(url, init): the global's fetch as it is at the call, like native code.
    if (isCallee && !(parent.node as t.CallExpression | t.OptionalCallExpression).optional) {
      const call = parent.node as t.CallExpression
      const url = firstArgumentUrl(call, scope)
      const decision = decideStatically(url, targets, pages)
      addSite('fetch', call, decision, url)
      if (decision !== 'never') edits.push({ type: 'replace', node, helper: fetchHelper(decision) })
      continue
    }
    // fetch.call(thisArg, url) / fetch.apply(...): a call made right there.
    if ((parent.node.type === 'MemberExpression' || parent.node.type === 'OptionalMemberExpression') && parent.key === 'object') {
      const method = staticPropertyName(parent.node)
      const grandparent = ancestors[1]
      const call = grandparent && grandparent.node.type === 'CallExpression' && grandparent.key === 'callee' ? grandparent.node : undefined
      if ((method === 'call' || method === 'apply') && call && !parent.node.optional) {
        const second = call.arguments[1]
        const url = method === 'call' && second && second.type !== 'SpreadElement' ? evaluateUrl(second, scope) : undefined
        const decision = decideStatically(url, targets, pages)
        addSite('fetch', call, decision, url)
        if (decision !== 'never') edits.push({ type: 'replace', node, helper: fetchHelper(decision) })
        continue
      }
      // `fetch.bind(window)`: the bound function of this moment's fetch, traced as a
      // value (so that storing it back on the global stores the app's own function).
      if (method === 'bind' && call) {
        if (isHelperArgument(ancestors, 2)) continue
        const decision = decideStatically(undefined, targets, pages)
        if (decision === 'never') continue
        addSite('fetch', call, decision)
        edits.push({ type: 'wrap', node: call, helper: 'traceFetchFunction' })
        continue
      }
      // Other members (`fetch.name`, `fetch.polyfill`) are the function's own.
      if (method !== 'bind') continue
    }
    // Any other use of the value (`const f = fetch`, `.then(fetch)`, `{ fetch }`,
    // `fetch?.(url)`, `saved === window.fetch`): the traced function of the fetch
    // of this moment, one per original function, absent when fetch is absent.
    const decision = decideStatically(isCallee ? firstArgumentUrl(parent.node as t.CallExpression, scope) : undefined, targets, pages)
    if (decision === 'never') continue
    addSite('fetch', isCallee ? parent.node : node, decision)
    if (parent.node.type === 'ObjectProperty' && parent.node.shorthand && parent.key === 'value') {
      edits.push({ type: 'expandShorthand', node: parent.node, helper: 'traceFetchFunction', wrap: true })
    } else {
      edits.push({ type: 'wrap', node, helper: 'traceFetchFunction' })
    }
  }

  // `class JsonRequest extends XMLHttpRequest`: extends the traced subclass of the global's
  // XMLHttpRequest, checked when the class is defined (`extends traceXhrIfGlobal(...)`).
  for (const { node, scope } of xhrSubclasses) {
    const superClass = node.superClass!
    const isXhr =
      superClass.type === 'Identifier'
        ? superClass.name === 'XMLHttpRequest' && !isBound(scope, 'XMLHttpRequest')
        : superClass.type === 'MemberExpression' && staticPropertyName(superClass) === 'XMLHttpRequest' && classifyObject(superClass.object, scope) !== 'other'
    if (!isXhr || isHelperCall(superClass)) continue
    const decision = decideStatically(undefined, targets, pages)
    addSite('xhr', node, decision)
    if (decision !== 'never') edits.push({ type: 'wrap', node: superClass, helper: 'traceXhrIfGlobal' })
  }

  // `window[key](...)` on the global object itself: a call of its fetch when `key` is
  // 'fetch' at run time (`traceFetchOn(window, key)[key](...)`). Other objects' dynamic
  // members are not looked at: too common, and never the global's fetch by name.
  for (const { node, scope, ancestors } of dynamicMembers) {
    const parent = ancestors[0]
    if (!parent || !isCalleeFrame(parent) || isHelperCall(node.object) || classifyObject(node.object, scope) !== 'global') continue
    const call = parent.node as t.CallExpression
    const url = firstArgumentUrl(call, scope)
    const decision = decideStatically(url, targets, pages)
    if (decision === 'never') continue
    addSite('fetch', call, decision, url, 'unknown')
    edits.push({ type: 'wrap', node: node.object as t.Expression, helper: 'traceFetchOn', key: node.property as t.Identifier })
  }

  // `const { fetch } = window`: read through a view of the global object whose
  // `fetch` is the traced function of the global's (any other object is left as it is).
  for (const { node, source, scope } of destructurings) {
    const holder = classifyObject(source, scope)
    if (holder === 'other' || isHelperCall(source)) continue
    const decision = decideStatically(undefined, targets, pages)
    addSite('fetch', node, decision, undefined, holder)
    if (decision !== 'never') edits.push({ type: 'wrap', node: source, helper: 'traceFetchIn' })
  }

  // `window.fetch = saved`: the global gets the function the app saved, never ours
  // (which `saved` holds when it was read from the global in a rewritten file).
  if (decideStatically(undefined, targets, pages) !== 'never') {
    for (const { node, scope } of fetchWrites) {
      const target = node.left as t.Identifier | t.MemberExpression | t.OptionalMemberExpression
      const holder = target.type === 'Identifier' ? (isBound(scope, 'fetch') ? 'other' : 'global') : classifyObject(target.object, scope)
      if (holder !== 'global' || isHelperCall(node.right) || cannotHoldTracedFetch(node.right, scope)) continue
      edits.push({ type: 'wrap', node: node.right, helper: 'untraceFetchFunction' })
    }
  }

  for (const { node, scope } of xhrConstructions) {
    const callee = node.callee
    const worker = workerConstructor(callee, scope)
    if (worker) {
      // The hand-off is no request: it happens whatever the worker's URL, unless no
      // request can ever carry a trace.
      const decision = decideStatically(undefined, targets, pages) === 'never' ? 'never' : 'always'
      addSite('worker', node, decision, workerScript(node.arguments[0]))
      if (decision !== 'never') edits.push({ type: 'replace', node: callee as t.Expression, helper: worker })
      continue
    }
    let holder: ObjectKind = 'other'
    if (callee.type === 'Identifier') {
      if (callee.name === 'XMLHttpRequest' && !isBound(scope, 'XMLHttpRequest')) holder = 'global'
      else holder = xhrAlias(callee, scope)
    } else if (callee.type === 'MemberExpression' && staticPropertyName(callee) === 'XMLHttpRequest') {
      holder = classifyObject(callee.object, scope)
    }
    if (holder === 'other') continue
    // The URL is only known at open(): decided at runtime unless no URL can match.
    const decision = decideStatically(undefined, targets, pages)
    addSite('xhr', node, decision, undefined, holder)
    if (decision === 'never') continue
    // An alias (`const X = root.XMLHttpRequest`, holder `unknown`) is checked when
    // constructed, like a member of an object the build could not identify.
    if (holder === 'global') edits.push({ type: 'replace', node: callee as t.Expression, helper: 'TracedXMLHttpRequest' })
    else edits.push({ type: 'wrap', node: callee as t.Expression, helper: 'traceXhrIfGlobal', parenthesize: true })
  }

  for (const reference of axiosReferences) {
    const { node, scope, ancestors } = reference
    if (lookup(scope, node.name) !== root || isInertContext(node, ancestors) || isHelperArgument(ancestors, 0)) continue
    const parent = ancestors[0]!
    const wrap = (at: t.Expression, holder: Frame | undefined, site: t.Node, url?: StaticString): void => {
      // The final URL is `baseURL` + `url` with axios' defaults, which any module
      // can change at runtime: only "no target at all" is decidable here.
      const decision = decideStatically(undefined, targets, pages)
      addSite('axios', site, decision, url)
      if (decision === 'never') return
      if (holder?.node.type === 'ObjectProperty' && holder.node.shorthand && holder.key === 'value') {
        edits.push({ type: 'expandShorthand', node: holder.node, helper: 'traceAxios', wrap: true })
      } else {
        edits.push({ type: 'wrap', node: at, helper: 'traceAxios' })
      }
    }
    // axios(config) / axios(url, config)
    if (isCalleeFrame(parent)) {
      wrap(node, parent, parent.node, axiosUrl((parent.node as t.CallExpression).arguments, 'url-first'))
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
  // A .mjs/.mts file is an ES module whatever it contains.
  const format = id !== undefined && ESM_ID.test(stripQuery(id)) ? 'module' : moduleFormat(program, commonjsReferences)
  return { sites, edits, format }
}

const propertyName = staticPropertyName

/** The frame of a call whose callee is the child: `child(...)`, `child?.(...)`. */
function isCalleeFrame(frame: Frame): boolean {
  return (frame.node.type === 'CallExpression' || frame.node.type === 'OptionalCallExpression') && frame.key === 'callee'
}

function isComparison(node: t.Node): boolean {
  return node.type === 'BinaryExpression' && (node.operator === '===' || node.operator === '!==' || node.operator === '==' || node.operator === '!=')
}

function firstArgumentUrl(call: t.CallExpression | t.OptionalCallExpression, scope: Scope): StaticString | undefined {
  const first = call.arguments[0]
  return first && first.type !== 'SpreadElement' ? evaluateUrl(first, scope) : undefined
}

/** An object pattern that reads `fetch` (`{ fetch }`, `{ fetch: f }`, `{ 'fetch': f = g }`). */
function destructuresFetch(pattern: t.Node): boolean {
  if (pattern.type !== 'ObjectPattern') return false
  return pattern.properties.some(
    (property) =>
      property.type === 'ObjectProperty' &&
      (property.computed ? property.key.type === 'StringLiteral' && property.key.value === 'fetch' : (property.key.type === 'Identifier' && property.key.name === 'fetch') || (property.key.type === 'StringLiteral' && property.key.value === 'fetch')),
  )
}

/** `x.fetch = v`, `fetch = v` (and `||=` / `??=` / `&&=`): a write that may store a function. */
function fetchWrite(node: t.AssignmentExpression): boolean {
  if (node.operator !== '=' && node.operator !== '||=' && node.operator !== '??=' && node.operator !== '&&=') return false
  const left = node.left
  if (left.type === 'Identifier') return left.name === 'fetch'
  return (left.type === 'MemberExpression' || left.type === 'OptionalMemberExpression') && staticPropertyName(left) === 'fetch'
}

/** A value that cannot be one of our traced functions: a function, class or literal written right there, or a `const` of one. */
function cannotHoldTracedFetch(node: t.Node, scope: Scope): boolean {
  switch (node.type) {
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ClassExpression':
    case 'ObjectExpression':
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'NullLiteral':
    case 'BooleanLiteral':
      return true
    case 'Identifier': {
      if (node.name === 'undefined' && !isBound(scope, 'undefined')) return true
      const binding = lookup(scope, node.name)?.consts?.get(node.name)
      return binding !== undefined && binding.init !== node && cannotHoldTracedFetch(binding.init, binding.scope)
    }
    default:
      return false
  }
}

/** The local `fetch` in `scope` is a function declared right there (`function fetch() {}`): never the global one. */
function isLocalFunction(scope: Scope): boolean {
  return lookup(scope, 'fetch')?.functions?.has('fetch') ?? false
}

/** A call of one of our helpers (a second pass over our own output). */
function isHelperCall(node: t.Node): boolean {
  return node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name.startsWith(HELPER_PREFIX)
}

/**
 * The helper for `new Worker(...)` / `new SharedWorker(...)` of the global object
 * (`Worker`, `window.Worker`); undefined for any other constructor, and for one
 * of an object the build cannot identify (left as it is).
 */
function workerConstructor(callee: t.Node, scope: Scope): Extract<RuntimeExport, 'TracedWorker' | 'TracedSharedWorker'> | undefined {
  let name: string | undefined
  if (callee.type === 'Identifier') {
    if (isBound(scope, callee.name)) return undefined
    name = callee.name
  } else if (callee.type === 'MemberExpression') {
    name = staticPropertyName(callee)
    if ((name !== 'Worker' && name !== 'SharedWorker') || classifyObject(callee.object, scope) !== 'global') return undefined
  }
  return name === 'Worker' ? 'TracedWorker' : name === 'SharedWorker' ? 'TracedSharedWorker' : undefined
}

/** The worker's script as written: `'/w.js'`, or the `'./w.js'` of `new URL('./w.js', import.meta.url)`. */
function workerScript(argument: t.Node | undefined): StaticString | undefined {
  let script = argument
  if (script?.type === 'NewExpression' && script.callee.type === 'Identifier' && script.callee.name === 'URL') {
    const [path, base] = script.arguments
    const isImportMetaUrl = base?.type === 'MemberExpression' && base.object.type === 'MetaProperty' && base.object.meta.name === 'import' && staticPropertyName(base) === 'url'
    script = isImportMetaUrl ? path : undefined
  }
  return script?.type === 'StringLiteral' ? { parts: [script.value] } : undefined
}

/** The helpers of worker sites (`kind: 'worker'`). */
export const WORKER_HELPERS: ReadonlySet<RuntimeExport> = new Set(['TracedWorker', 'TracedSharedWorker'])

/**
 * `new X()` where `X` is a `const` holding some object's `XMLHttpRequest`
 * (`const XHR = root.XMLHttpRequest`): `unknown` (checked when constructed), or
 * `other` for any other binding.
 */
function xhrAlias(callee: t.Identifier, scope: Scope): ObjectKind {
  const binding = lookup(scope, callee.name)?.consts?.get(callee.name)
  if (!binding) return 'other'
  const init = binding.init
  if (init.type === 'Identifier') return init.name === 'XMLHttpRequest' && !isBound(binding.scope, 'XMLHttpRequest') ? 'unknown' : 'other'
  if (init.type !== 'MemberExpression' || staticPropertyName(init) !== 'XMLHttpRequest') return 'other'
  return classifyObject(init.object, binding.scope) === 'other' ? 'other' : 'unknown'
}

/**
 * Uses that must keep the original value, or cannot tell ours from it: `typeof`,
 * `delete`, `void`, truthiness tests (`!fetch`, `if (window.fetch)`, the left of
 * `&&`, which only passes on a falsy value), assignment targets. Identity
 * comparisons are not among them: both sides get the same traced function.
 */
function isInertContext(node: t.Node, ancestors: Frame[]): boolean {
  const parent = ancestors[0]
  if (!parent) return true
  const container = parent.node
  switch (container.type) {
    case 'UnaryExpression':
      return container.operator === 'typeof' || container.operator === 'delete' || container.operator === 'void' || container.operator === '!'
    case 'BinaryExpression':
      return container.operator === 'instanceof' || container.operator === 'in'
    case 'LogicalExpression':
      return container.operator === '&&' && parent.key === 'left'
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'ForStatement':
    case 'ConditionalExpression':
      return parent.key === 'test'
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
  return callee.type === 'Identifier' && callee.name.startsWith(HELPER_PREFIX)
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
const EMPTY_SCOPE: Scope = { parent: undefined, isFunction: true, declared: undefined, consts: undefined, functions: undefined }

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

/**
 * A module when parsed as one (ESM syntax found by the bundler path's unambiguous
 * parse, or Babel's `sourceType: 'module'`); else a free require/module/exports
 * makes CommonJS; else a script.
 */
function moduleFormat(program: t.Program, references: Array<Reference<t.Identifier>>): Plan['format'] {
  if (program.sourceType === 'module') return 'module'
  return references.some(({ node, scope }) => !isBound(scope, node.name)) ? 'commonjs' : 'script'
}
