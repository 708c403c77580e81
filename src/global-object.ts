import type * as t from '@babel/types'
import { HELPER_PREFIX } from './names.js'
import { isBound, lookup, patternNames, type Scope } from './scope.js'

/**
 * What the build knows about an object whose `fetch` or `XMLHttpRequest` is read:
 * - `global`: every value it can have is the global object (`window`, `self`,
 *   `globalThis`, `global`, and bindings, IIFEs and `typeof` chains that only ever
 *   produce one of those);
 * - `other`: it is never the global object (a literal, `new X()`, a class
 *   instance's `this`, our own helpers' results);
 * - `unknown`: it may or may not be (a parameter such as jQuery's factory
 *   `window`, a reassigned `let root`): the rewrite asks at run time.
 */
export type ObjectKind = 'global' | 'other' | 'unknown'

/** Names that denote the global object where nothing shadows them. */
export const GLOBAL_OBJECT_NAMES: ReadonlySet<string> = new Set(['window', 'globalThis', 'self', 'global'])

/** Properties of the global object that are the global object again (`window.window`). */
const SELF_PROPERTIES = new Set(['window', 'globalThis', 'self'])

/** How deep bindings and branches are followed; deeper is `unknown`. */
const MAX_DEPTH = 32

export function classifyObject(node: t.Node, scope: Scope, depth = 0): ObjectKind {
  if (depth > MAX_DEPTH) return 'unknown'
  const next = depth + 1
  switch (node.type) {
    case 'Identifier': {
      const declaring = lookup(scope, node.name)
      if (!declaring) return GLOBAL_OBJECT_NAMES.has(node.name) ? 'global' : 'unknown'
      // Only `const`: a `let` or `var` can be reassigned anywhere it is visible.
      const binding = declaring.consts?.get(node.name)
      return binding ? classifyObject(binding.init, binding.scope, next) : 'unknown'
    }
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
    case 'TypeCastExpression':
      return classifyObject(node.expression, scope, next)
    case 'ConditionalExpression':
      return join(classifyObject(node.consequent, scope, next), classifyObject(node.alternate, scope, next))
    case 'LogicalExpression':
      return join(classifyObject(node.left, scope, next), classifyObject(node.right, scope, next))
    case 'SequenceExpression':
      return classifyObject(node.expressions[node.expressions.length - 1]!, scope, next)
    case 'AssignmentExpression':
      return node.operator === '=' ? classifyObject(node.right, scope, next) : 'unknown'
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const name = staticPropertyName(node)
      if (name !== undefined && SELF_PROPERTIES.has(name) && classifyObject(node.object, scope, next) === 'global') return 'global'
      return 'unknown'
    }
    case 'CallExpression':
      return classifyCall(node, scope, next)
    case 'NewExpression':
      return isFunctionReturningThis(node) && !isBound(scope, 'Function') ? 'global' : 'other'
    case 'ThisExpression':
      // Module code has no global `this`; a method's is its instance. A sloppy
      // script's top-level `this` is the one case left, and nothing is guessed there.
      return 'other'
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ClassExpression':
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'BigIntLiteral':
    case 'RegExpLiteral':
    case 'TemplateLiteral':
    case 'UnaryExpression':
    case 'BinaryExpression':
    case 'UpdateExpression':
    case 'Super':
    case 'MetaProperty':
      return 'other'
    default:
      return 'unknown'
  }
}

function join(a: ObjectKind, b: ObjectKind): ObjectKind {
  return a === b ? a : 'unknown'
}

function classifyCall(node: t.CallExpression, scope: Scope, depth: number): ObjectKind {
  const callee = node.callee
  // Our own helpers never return the global object (a second pass over our output).
  if (callee.type === 'Identifier' && callee.name.startsWith(HELPER_PREFIX)) return 'other'
  // `Function('return this')()`
  if (callee.type === 'CallExpression' && isFunctionReturningThis(callee)) return isBound(scope, 'Function') ? 'unknown' : 'global'
  // An IIFE without arguments: `(function () { if (typeof globalThis !== 'undefined') return globalThis; ... throw ... })()`
  const fn = callee.type === 'ParenthesizedExpression' ? callee.expression : callee
  if ((fn.type === 'FunctionExpression' || fn.type === 'ArrowFunctionExpression') && node.arguments.length === 0 && !fn.async && !fn.generator) {
    return classifyReturns(fn, scope, depth)
  }
  return 'unknown'
}

/** `Function('return this')` or `new Function('return this')`: a sloppy function whose `this` is the global object. */
function isFunctionReturningThis(node: t.CallExpression | t.NewExpression): boolean {
  const [body, ...rest] = node.arguments
  return (
    node.callee.type === 'Identifier' &&
    node.callee.name === 'Function' &&
    rest.length === 0 &&
    body?.type === 'StringLiteral' &&
    /^\s*return\s+this\s*;?\s*$/.test(body.value)
  )
}

/**
 * What a function returns, when that is the same kind on every path: every `return`
 * (outside nested functions) gives that kind, and control cannot fall off the end
 * (which would return `undefined`).
 */
function classifyReturns(fn: t.FunctionExpression | t.ArrowFunctionExpression, scope: Scope, depth: number): ObjectKind {
  if (fn.body.type !== 'BlockStatement') return classifyObject(fn.body, scope, depth)
  const statements = fn.body.body
  const last = statements[statements.length - 1]
  if (!last || (last.type !== 'ReturnStatement' && last.type !== 'ThrowStatement')) return 'unknown'
  // Names declared inside shadow the outer ones the returns are resolved in (`var self = this`).
  const declared = new Set<string>(fn.params.flatMap((param) => patternNames(param)))
  if (fn.type === 'FunctionExpression' && fn.id) declared.add(fn.id.name)
  const returns: t.Node[] = []
  if (!collectReturns(statements, declared, returns)) return 'unknown'
  let kind: ObjectKind | undefined
  for (const argument of returns) {
    if (argument.type === 'Identifier' && declared.has(argument.name)) return 'unknown'
    const each = classifyObject(argument, scope, depth)
    kind = kind === undefined ? each : join(kind, each)
    if (kind === 'unknown') return kind
  }
  return kind ?? 'unknown'
}

/**
 * Gathers `return` arguments and declared names of a function body, without entering
 * nested functions. Only plain control flow is followed (blocks, `if`, `try`);
 * anything else gives up (false), as does a `return` without an argument.
 */
function collectReturns(statements: t.Statement[], declared: Set<string>, returns: t.Node[]): boolean {
  for (const statement of statements) {
    switch (statement.type) {
      case 'ReturnStatement':
        if (!statement.argument) return false
        returns.push(statement.argument)
        break
      case 'IfStatement':
        if (!collectReturns([statement.consequent], declared, returns)) return false
        if (statement.alternate && !collectReturns([statement.alternate], declared, returns)) return false
        break
      case 'BlockStatement':
        if (!collectReturns(statement.body, declared, returns)) return false
        break
      case 'TryStatement':
        if (!collectReturns(statement.block.body, declared, returns)) return false
        if (statement.handler) {
          for (const name of patternNames(statement.handler.param)) declared.add(name)
          if (!collectReturns(statement.handler.body.body, declared, returns)) return false
        }
        if (statement.finalizer && !collectReturns(statement.finalizer.body, declared, returns)) return false
        break
      case 'VariableDeclaration':
        for (const declarator of statement.declarations) for (const name of patternNames(declarator.id)) declared.add(name)
        break
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (statement.id) declared.add(statement.id.name)
        break
      case 'ExpressionStatement':
      case 'ThrowStatement':
      case 'EmptyStatement':
        break
      default:
        return false
    }
  }
  return true
}

/** `o.name`, `o['name']`, ``o[`name`]``: the property read, when it is a constant. */
export function staticPropertyName(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  const property = node.property
  if (!node.computed) return property.type === 'Identifier' ? property.name : undefined
  if (property.type === 'StringLiteral') return property.value
  if (property.type === 'TemplateLiteral' && property.expressions.length === 0) return property.quasis[0]!.value.cooked ?? undefined
  return undefined
}
