import type * as t from '@babel/types'
import { VISITOR_KEYS } from './visitor-keys.js'

/**
 * A lexical scope, reduced to what the analysis asks: which names it declares,
 * and the initialisers of its `const` bindings (for URL folding).
 *
 * This is a purpose-built pass instead of @babel/traverse's scope tracker: the
 * analysis only needs "is this name shadowed here?", and one plain walk over the
 * AST costs a few percent of the parse where Babel's traversal costs several
 * parses (bench/ has the figures). It needs nothing of @babel/types at run time
 * either: loading that package was a tenth of a second of every build.
 */
export interface Scope {
  parent: Scope | undefined
  /** Function scopes receive `var` and hoisted function declarations. */
  isFunction: boolean
  /** Created on the first declaration: most block scopes declare nothing. */
  declared: Set<string> | undefined
  consts: Map<string, { init: t.Expression; scope: Scope }> | undefined
  /** Names bound by a function declaration here. */
  functions: Set<string> | undefined
}

/** One step from the root to a node: the node, and under which key of its parent it sits. */
export interface Frame {
  node: t.Node
  key: string
  index: number | undefined
}

/** A reference found by the walk, with the scope it sits in and its nearest ancestors. */
export interface Reference<N extends t.Node = t.Node> {
  node: N
  scope: Scope
  /** ancestors[0] is the parent frame, [1] the grandparent, ... (up to ANCESTORS). */
  ancestors: Frame[]
}

const ANCESTORS = 4

function newScope(parent: Scope | undefined, isFunction: boolean): Scope {
  return { parent, isFunction, declared: undefined, consts: undefined, functions: undefined }
}

/** The nearest scope that declares `name`, or undefined for a free (global) name. */
export function lookup(scope: Scope, name: string): Scope | undefined {
  for (let current: Scope | undefined = scope; current; current = current.parent) {
    if (current.declared?.has(name)) return current
  }
  return undefined
}

export function isBound(scope: Scope, name: string): boolean {
  return lookup(scope, name) !== undefined
}

function functionScope(scope: Scope): Scope {
  let current = scope
  while (!current.isFunction && current.parent) current = current.parent
  return current
}

export function patternNames(pattern: t.Node | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name)
      break
    case 'ObjectPattern':
      for (const property of pattern.properties) patternNames(property.type === 'RestElement' ? property : property.value, out)
      break
    case 'ArrayPattern':
      for (const element of pattern.elements) patternNames(element, out)
      break
    case 'AssignmentPattern':
      patternNames(pattern.left, out)
      break
    case 'RestElement':
      patternNames(pattern.argument, out)
      break
    case 'TSParameterProperty':
      patternNames(pattern.parameter, out)
      break
    default:
      break
  }
  return out
}

/** Type-level nodes: no runtime reference can live below them. */
function isTypeOnlyType(type: string): boolean {
  if (type.startsWith('TS')) {
    return !(
      type === 'TSAsExpression' ||
      type === 'TSSatisfiesExpression' ||
      type === 'TSNonNullExpression' ||
      type === 'TSTypeAssertion' ||
      type === 'TSInstantiationExpression' ||
      type === 'TSEnumDeclaration' ||
      type === 'TSEnumBody' ||
      type === 'TSEnumMember' ||
      type === 'TSModuleDeclaration' ||
      type === 'TSModuleBlock' ||
      type === 'TSExportAssignment' ||
      type === 'TSImportEqualsDeclaration' ||
      type === 'TSExternalModuleReference' ||
      type === 'TSParameterProperty' ||
      type === 'TSDeclareFunction' ||
      type === 'TSDeclareMethod'
    )
  }
  // Flow annotations; a Flow type cast still holds an expression.
  return (
    type === 'TypeAnnotation' ||
    type === 'TypeAlias' ||
    type === 'OpaqueType' ||
    type === 'InterfaceDeclaration' ||
    type === 'DeclareVariable' ||
    type === 'DeclareFunction' ||
    type === 'DeclareClass' ||
    type === 'DeclareModule' ||
    type === 'DeclareTypeAlias' ||
    type === 'DeclareOpaqueType' ||
    type === 'DeclareInterface' ||
    type === 'DeclareExportDeclaration' ||
    type === 'DeclareModuleExports' ||
    type === 'TypeParameterDeclaration' ||
    type === 'TypeParameterInstantiation'
  )
}

const typeOnly = new Map<string, boolean>()

function isTypeOnly(type: string): boolean {
  let answer = typeOnly.get(type)
  if (answer === undefined) typeOnly.set(type, (answer = isTypeOnlyType(type)))
  return answer
}

/** Properties of a parser node that hold no child node. */
const NOT_CHILDREN = new Set(['type', 'start', 'end', 'loc', 'range', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'comments', 'errors', 'tokens'])

/**
 * Whether an identifier under `parent` (at `parent.key`) reads a variable, as
 * opposed to naming a property, key, label, import/export name or a binding
 * being declared. Same answers as @babel/types' `isReferenced` for the
 * positions an identifier can take in code (types are never walked).
 */
function isReferencePosition(parent: Frame, grandparent: Frame | undefined): boolean {
  const node = parent.node as t.Node & { computed?: boolean }
  const key = parent.key
  switch (node.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return key === 'object' || !!node.computed
    case 'ObjectProperty':
      if (key === 'key') return !!node.computed
      // `{ a: name }` in a destructuring pattern declares or assigns `name`.
      return grandparent?.node.type !== 'ObjectPattern'
    case 'ClassProperty':
    case 'ClassPrivateProperty':
    case 'ClassAccessorProperty':
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
    case 'TSDeclareMethod':
      if (key === 'key') return !!node.computed
      return key !== 'params'
    case 'VariableDeclarator':
      return key !== 'id'
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'TSDeclareFunction':
      return key !== 'id' && key !== 'params'
    case 'ClassDeclaration':
    case 'ClassExpression':
    case 'TSEnumDeclaration':
    case 'TSEnumMember':
    case 'TSModuleDeclaration':
    case 'TSImportEqualsDeclaration':
      return key !== 'id'
    case 'CatchClause':
      return key !== 'param'
    case 'AssignmentPattern':
    case 'AssignmentExpression':
      return key === 'right'
    case 'ExportSpecifier':
      // `export { name }` reads `name`; `export { name } from 'x'` does not.
      return key === 'local' && !(grandparent?.node as t.ExportNamedDeclaration | undefined)?.source
    case 'MetaProperty':
    case 'PrivateName':
    case 'JSXAttribute':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ImportAttribute':
    case 'ExportNamespaceSpecifier':
    case 'ExportDefaultSpecifier':
    case 'ExportAllDeclaration':
    case 'RestElement':
    case 'ArrayPattern':
    case 'ObjectPattern':
    case 'TSParameterProperty':
      return false
    default:
      return true
  }
}

export interface WalkVisitor {
  /** Names of the identifiers `identifier` wants to hear about. */
  identifierNames: ReadonlySet<string>
  /** A referenced identifier with one of `identifierNames` (not a key, label, declaration or type). */
  identifier(reference: Reference<t.Identifier>): void
  /** Node types `node` wants to hear about. */
  nodeTypes: ReadonlySet<string>
  /**
   * Whether `node` (of one of `nodeTypes`) is one `node` wants, asked before its
   * reference is made: most member expressions of a file are not, and each reference
   * copies the path to it.
   */
  accepts?(node: t.Node): boolean
  /** A node of one of `nodeTypes` (that `accepts` took), on the way down, with its scope. */
  node(reference: Reference): void
  /**
   * Whether a function can be left unwalked: nothing the visitor hears about is in
   * it. Nothing declared inside a function is visible outside it (its own name is
   * declared before this is asked), so scopes outside stay complete.
   */
  skipFunction?(node: t.Function): boolean
}

/**
 * Walk a program once: build its scopes and report references to the visitor.
 * Scopes are complete only when the walk returns (declarations hoist), so
 * visitors keep references and resolve names afterwards.
 */
export function walkProgram(program: t.Program, visitor: WalkVisitor): Scope {
  const root = newScope(undefined, true)
  // The path from the root, as parallel stacks: no object per visited node.
  const pathNodes: t.Node[] = []
  const pathKeys: string[] = []
  const pathIndexes: Array<number | undefined> = []
  /** The node last visited at each depth: the parent of what is pushed below it. */
  const parents: t.Node[] = []

  const declare = (scope: Scope, names: string[]): void => {
    for (const name of names) (scope.declared ??= new Set()).add(name)
  }

  const frame = (depth: number): Frame | undefined =>
    depth >= 0 ? { node: pathNodes[depth]!, key: pathKeys[depth]!, index: pathIndexes[depth] } : undefined

  const ancestors = (): Frame[] => {
    const out: Frame[] = []
    for (let depth = pathNodes.length - 1; depth >= 0 && out.length < ANCESTORS; depth--) out.push(frame(depth)!)
    return out
  }

  const declareFunctionParams = (node: t.Function, scope: Scope): void => {
    for (const param of node.params) declare(scope, patternNames(param))
  }

  // Nodes still to visit, as parallel stacks (an explicit stack: deep code the parser
  // accepts, such as a chain of a thousand `.then` calls, must not exhaust the call stack).
  const todoNodes: t.Node[] = [program]
  const todoScopes: Scope[] = [root]
  const todoDepths: number[] = [0]
  const todoKeys: string[] = ['']
  const todoIndexes: Array<number | undefined> = [undefined]

  const push = (child: t.Node, depth: number, key: string, index: number | undefined, scope: Scope): void => {
    todoNodes.push(child)
    todoScopes.push(scope)
    todoDepths.push(depth)
    todoKeys.push(key)
    todoIndexes.push(index)
  }

  while (todoNodes.length) {
    const node = todoNodes.pop()!
    const scope = todoScopes.pop()!
    const depth = todoDepths.pop()!
    const key = todoKeys.pop()!
    const index = todoIndexes.pop()
    if (depth > 0) {
      // The path to this node: its ancestors, the parent last, with the key it sits under.
      pathNodes.length = pathKeys.length = pathIndexes.length = depth - 1
      pathNodes.push(parents[depth - 1]!)
      pathKeys.push(key)
      pathIndexes.push(index)
    }
    if (isTypeOnly(node.type)) continue
    let inner = scope
    switch (node.type) {
      case 'FunctionDeclaration':
        if (node.id) {
          // Block-scoped in strict code, hoisted to the function in sloppy code: both.
          declare(scope, [node.id.name])
          declare(functionScope(scope), [node.id.name])
          ;(scope.functions ??= new Set()).add(node.id.name)
          ;(functionScope(scope).functions ??= new Set()).add(node.id.name)
        }
        if (visitor.skipFunction?.(node)) continue
        inner = newScope(scope, true)
        declareFunctionParams(node, inner)
        break
      case 'FunctionExpression':
        if (visitor.skipFunction?.(node)) continue
        inner = newScope(scope, true)
        if (node.id) declare(inner, [node.id.name])
        declareFunctionParams(node, inner)
        break
      case 'ArrowFunctionExpression':
      case 'ObjectMethod':
      case 'ClassMethod':
      case 'ClassPrivateMethod':
        if (visitor.skipFunction?.(node)) continue
        inner = newScope(scope, true)
        declareFunctionParams(node, inner)
        break
      case 'ClassDeclaration':
        if (node.id) declare(scope, [node.id.name])
        inner = newScope(scope, false)
        break
      case 'ClassExpression':
        inner = newScope(scope, false)
        if (node.id) declare(inner, [node.id.name])
        break
      case 'BlockStatement':
      case 'StaticBlock':
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'SwitchStatement':
        inner = newScope(scope, false)
        break
      case 'TSModuleBlock':
        inner = newScope(scope, true)
        break
      case 'CatchClause':
        inner = newScope(scope, false)
        declare(inner, patternNames(node.param))
        break
      case 'VariableDeclaration': {
        const target = node.kind === 'var' ? functionScope(scope) : scope
        for (const declarator of node.declarations) {
          declare(target, patternNames(declarator.id))
          if (node.kind !== 'const' || !declarator.init) continue
          if (declarator.id.type === 'Identifier') {
            target.consts ??= new Map()
            target.consts.set(declarator.id.name, { init: declarator.init, scope })
          } else if (declarator.id.type === 'ObjectPattern') {
            // `const { XMLHttpRequest: X } = root`: X holds `root.XMLHttpRequest`, as a
            // member expression made here (no position: read, never edited).
            for (const property of declarator.id.properties) {
              if (property.type !== 'ObjectProperty' || property.computed || property.value.type !== 'Identifier') continue
              const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'StringLiteral' ? property.key.value : undefined
              if (key === undefined) continue
              const member = { type: 'MemberExpression', object: declarator.init, property: { type: 'Identifier', name: key }, computed: false } as t.MemberExpression
              target.consts ??= new Map()
              target.consts.set(property.value.name, { init: member, scope })
            }
          }
        }
        break
      }
      case 'ImportDeclaration':
        for (const specifier of node.specifiers) declare(root, [specifier.local.name])
        break
      case 'TSImportEqualsDeclaration':
      case 'TSEnumDeclaration':
        declare(scope, [node.id.name])
        break
      case 'TSModuleDeclaration':
        if (node.id.type === 'Identifier') declare(scope, [node.id.name])
        break
      default:
        break
    }

    if (visitor.nodeTypes.has(node.type) && (!visitor.accepts || visitor.accepts(node))) visitor.node({ node, scope, ancestors: ancestors() })
    if (node.type === 'Identifier' && visitor.identifierNames.has(node.name)) {
      const parent = frame(depth - 1)
      if (parent && isReferencePosition(parent, frame(depth - 2))) {
        visitor.identifier({ node, scope, ancestors: ancestors() })
      }
    }

    // Node types newer than the table (a newer Babel) are walked by their properties.
    // Children are pushed last first, so they are visited in source order.
    parents[depth] = node
    const keys = VISITOR_KEYS[node.type] ?? Object.keys(node).filter((name) => !NOT_CHILDREN.has(name))
    for (let k = keys.length - 1; k >= 0; k--) {
      const childKey = keys[k]!
      const child = (node as unknown as Record<string, unknown>)[childKey]
      if (!child || typeof child !== 'object') continue
      if (Array.isArray(child)) {
        for (let at = child.length - 1; at >= 0; at--) {
          const element = child[at] as t.Node | null
          if (element && typeof element.type === 'string') push(element, depth + 1, childKey, at, inner)
        }
      } else if (typeof (child as t.Node).type === 'string') {
        push(child as t.Node, depth + 1, childKey, undefined, inner)
      }
    }
  }

  return root
}
