import type * as t from '@babel/types'
import { isBound, lookup, type Scope } from './scope.js'

/**
 * What is known at build time about the string a request URL will be.
 *
 * `parts` is a concatenation: strings are known text, `HOLE` is text we cannot
 * know. A value with no hole is fully known. Adjacent strings are merged, so a
 * known prefix is always `parts[0]` when that is a string.
 */
export interface StaticString {
  parts: Array<string | typeof HOLE>
}

export const HOLE = Symbol('unknown text')

type Value =
  | { kind: 'string'; value: StaticString }
  | { kind: 'number'; value: number }
  | { kind: 'unknown' }

const UNKNOWN: Value = { kind: 'unknown' }

export function isFullyKnown(value: StaticString): value is { parts: [string] } {
  return value.parts.length === 1 && typeof value.parts[0] === 'string'
}

export function knownPrefix(value: StaticString): string {
  return typeof value.parts[0] === 'string' ? value.parts[0] : ''
}

function concat(...pieces: Array<string | typeof HOLE>): StaticString {
  const parts: Array<string | typeof HOLE> = []
  for (const piece of pieces) {
    const last = parts[parts.length - 1]
    if (typeof piece === 'string' && typeof last === 'string') parts[parts.length - 1] = last + piece
    else if (piece === HOLE && last === HOLE) continue
    else parts.push(piece)
  }
  if (parts.length === 0) parts.push('')
  return { parts }
}

function asParts(value: Value): Array<string | typeof HOLE> {
  if (value.kind === 'string') return value.value.parts
  if (value.kind === 'number') return [String(value.value)]
  return [HOLE]
}

/**
 * The string a URL argument evaluates to, as far as it can be known from the
 * source: literals, templates, `+`, `new URL(literal[, literal])` and `const`
 * bindings of those. `undefined` when nothing useful is known.
 */
export function evaluateUrl(node: t.Node, scope: Scope): StaticString | undefined {
  const value = evaluate(node, scope, new Set())
  if (value.kind === 'string') return value.value
  if (value.kind === 'number') return { parts: [String(value.value)] }
  return undefined
}

function unwrap(node: t.Node): t.Node {
  let current = node
  while (
    current.type === 'ParenthesizedExpression' ||
    current.type === 'TSAsExpression' ||
    current.type === 'TSSatisfiesExpression' ||
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'TypeCastExpression'
  ) {
    current = current.expression
  }
  return current
}

const MAX_DEPTH = 256

function evaluate(input: t.Node, scope: Scope, seen: Set<t.Node>): Value {
  const node = unwrap(input)
  // `seen` holds the nodes being evaluated: its size is the depth of this recursion,
  // bounded so that no input can exhaust the stack (deeper means unknown).
  if (seen.has(node) || seen.size > MAX_DEPTH) return UNKNOWN
  seen.add(node)
  try {
    switch (node.type) {
      case 'StringLiteral':
        return { kind: 'string', value: concat(node.value) }
      case 'NumericLiteral':
        return { kind: 'number', value: node.value }
      case 'TemplateLiteral':
        return evaluateTemplate(node, scope, seen)
      case 'BinaryExpression':
        return node.operator === '+' ? evaluatePlus(node, scope, seen) : UNKNOWN
      case 'Identifier':
        return evaluateIdentifier(node, scope, seen)
      case 'NewExpression':
        return evaluateNewUrl(node, scope, seen)
      default:
        return UNKNOWN
    }
  } finally {
    seen.delete(node)
  }
}

function evaluateTemplate(node: t.TemplateLiteral, scope: Scope, seen: Set<t.Node>): Value {
  const pieces: Array<string | typeof HOLE> = []
  for (let index = 0; index < node.quasis.length; index++) {
    const cooked = node.quasis[index]!.value.cooked
    if (cooked == null) return UNKNOWN
    pieces.push(cooked)
    const expression = node.expressions[index]
    if (expression) pieces.push(...asParts(evaluate(expression, scope, seen)))
  }
  return { kind: 'string', value: concat(...pieces) }
}

/**
 * `a + b + c` nests to the left as deep as it is long: its operands are folded left
 * to right in a loop, so a sum of thousands of terms needs no deeper stack.
 */
function evaluatePlus(node: t.BinaryExpression, scope: Scope, seen: Set<t.Node>): Value {
  const rights: t.Node[] = []
  let leftmost: t.Node = node
  for (let current = unwrap(leftmost); current.type === 'BinaryExpression' && current.operator === '+'; current = unwrap(leftmost)) {
    rights.push(current.right)
    leftmost = current.left
  }
  let sum = evaluate(leftmost, scope, seen)
  for (let index = rights.length - 1; index >= 0; index--) sum = add(sum, evaluate(rights[index]!, scope, seen))
  return sum
}

function add(left: Value, right: Value): Value {
  if (left.kind === 'number' && right.kind === 'number') return { kind: 'number', value: left.value + right.value }
  // `+` concatenates as soon as one operand is a string, whatever the other one is.
  if (left.kind === 'string' || right.kind === 'string') {
    return { kind: 'string', value: concat(...asParts(left), ...asParts(right)) }
  }
  return UNKNOWN
}

function evaluateIdentifier(node: t.Identifier, scope: Scope, seen: Set<t.Node>): Value {
  // Only `const`: a `var` or `let` can be read before its initialiser ran, or be reassigned.
  const declaring = lookup(scope, node.name)
  const binding = declaring?.consts?.get(node.name)
  if (!binding) return UNKNOWN
  // A `const` URL object can still change (`url.host = ...` anywhere it is seen):
  // only strings fold through a binding; `new URL(...)` folds where it is written.
  if (unwrap(binding.init).type === 'NewExpression') return UNKNOWN
  return evaluate(binding.init, binding.scope, seen)
}

function evaluateNewUrl(node: t.NewExpression, scope: Scope, seen: Set<t.Node>): Value {
  if (node.callee.type !== 'Identifier' || node.callee.name !== 'URL' || isBound(scope, 'URL')) return UNKNOWN
  const args = node.arguments
  if (args.length === 0 || args.length > 2 || args.some((arg) => arg.type === 'SpreadElement')) return UNKNOWN
  const input = evaluate(args[0]!, scope, seen)
  const base = args[1] ? evaluate(args[1], scope, seen) : undefined
  if (input.kind === 'unknown' || base?.kind === 'unknown') return UNKNOWN
  const inputParts = asParts(input)
  const baseText = base ? asParts(base) : undefined
  if (baseText && !(baseText.length === 1 && typeof baseText[0] === 'string')) return UNKNOWN
  const baseString = baseText?.[0] as string | undefined
  if (inputParts.length === 1 && typeof inputParts[0] === 'string') {
    try {
      return { kind: 'string', value: concat(new URL(inputParts[0], baseString).href) }
    } catch {
      // `new URL` throws here at runtime too, so no request is made: nothing to decide.
      return UNKNOWN
    }
  }
  // A path-absolute input with a hole resolves to the base's origin followed by
  // that path: the same string as the concatenation, for the URL rule.
  const prefix = inputParts[0]
  if (baseString !== undefined && typeof prefix === 'string' && /^\/[^/\\\t\n\r]/.test(prefix)) {
    try {
      const root = new URL('/', baseString)
      if (root.origin === 'null') return UNKNOWN
      return { kind: 'string', value: concat(root.href.slice(0, -1), ...inputParts) }
    } catch {
      return UNKNOWN
    }
  }
  return UNKNOWN
}
