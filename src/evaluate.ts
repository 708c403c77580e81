import type { NodePath } from '@babel/core'
import type * as t from '@babel/types'

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
export function evaluateUrl(path: NodePath): StaticString | undefined {
  const value = evaluate(path, new Set())
  if (value.kind === 'string') return value.value
  if (value.kind === 'number') return { parts: [String(value.value)] }
  return undefined
}

function unwrap(path: NodePath): NodePath {
  let current = path
  for (;;) {
    if (
      current.isParenthesizedExpression() ||
      current.isTSAsExpression() ||
      current.isTSSatisfiesExpression() ||
      current.isTSNonNullExpression() ||
      current.isTSTypeAssertion() ||
      current.isTypeCastExpression()
    ) {
      current = current.get('expression') as NodePath
    } else {
      return current
    }
  }
}

function evaluate(input: NodePath, seen: Set<t.Node>): Value {
  const path = unwrap(input)
  const node = path.node
  if (seen.has(node)) return UNKNOWN
  seen.add(node)
  try {
    if (path.isStringLiteral()) return { kind: 'string', value: concat(path.node.value) }
    if (path.isNumericLiteral()) return { kind: 'number', value: path.node.value }
    if (path.isTemplateLiteral()) return evaluateTemplate(path, seen)
    if (path.isBinaryExpression({ operator: '+' })) return evaluatePlus(path, seen)
    if (path.isIdentifier()) return evaluateIdentifier(path, seen)
    if (path.isNewExpression()) return evaluateNewUrl(path, seen)
    return UNKNOWN
  } finally {
    seen.delete(node)
  }
}

function evaluateTemplate(path: NodePath<t.TemplateLiteral>, seen: Set<t.Node>): Value {
  const quasis = path.node.quasis
  const expressions = path.get('expressions') as NodePath[]
  const pieces: Array<string | typeof HOLE> = []
  for (let index = 0; index < quasis.length; index++) {
    const cooked = quasis[index]!.value.cooked
    if (cooked == null) return UNKNOWN
    pieces.push(cooked)
    const expression = expressions[index]
    if (expression) pieces.push(...asParts(evaluate(expression, seen)))
  }
  return { kind: 'string', value: concat(...pieces) }
}

function evaluatePlus(path: NodePath<t.BinaryExpression>, seen: Set<t.Node>): Value {
  const left = evaluate(path.get('left') as NodePath, seen)
  const right = evaluate(path.get('right'), seen)
  if (left.kind === 'number' && right.kind === 'number') return { kind: 'number', value: left.value + right.value }
  // `+` concatenates as soon as one operand is a string, whatever the other one is.
  if (left.kind === 'string' || right.kind === 'string') {
    return { kind: 'string', value: concat(...asParts(left), ...asParts(right)) }
  }
  return UNKNOWN
}

function evaluateIdentifier(path: NodePath<t.Identifier>, seen: Set<t.Node>): Value {
  const binding = path.scope.getBinding(path.node.name)
  // Only `const`: a `var` or `let` can be read before its initialiser ran, or be reassigned.
  if (!binding || binding.kind !== 'const' || !binding.constant) return UNKNOWN
  const declarator = binding.path
  if (!declarator.isVariableDeclarator()) return UNKNOWN
  if (declarator.node.id.type !== 'Identifier') return UNKNOWN
  const init = declarator.get('init')
  if (!init.node) return UNKNOWN
  return evaluate(init as NodePath, seen)
}

function isGlobalIdentifier(path: NodePath, name: string): boolean {
  return path.isIdentifier({ name }) && !path.scope.getBinding(name)
}

function evaluateNewUrl(path: NodePath<t.NewExpression>, seen: Set<t.Node>): Value {
  if (!isGlobalIdentifier(path.get('callee') as NodePath, 'URL')) return UNKNOWN
  const args = path.get('arguments') as NodePath[]
  if (args.length === 0 || args.length > 2 || args.some((arg) => arg.isSpreadElement())) return UNKNOWN
  const input = evaluate(args[0]!, seen)
  const base = args[1] ? evaluate(args[1], seen) : undefined
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
