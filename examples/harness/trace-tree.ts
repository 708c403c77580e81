/** A trace as an indented tree, for people to read. */

export interface TreeNode {
  id: string
  parentId?: string
  label: string
  /** Siblings are printed in this order. */
  order: number
}

/**
 * Lines of the tree. A node whose parent is not among `nodes` is a root; `notes`
 * are extra lines printed under a node, before its children.
 */
export function formatTree(nodes: TreeNode[], notes: Map<string, string[]> = new Map()): string[] {
  const ids = new Set(nodes.map((node) => node.id))
  const children = new Map<string | undefined, TreeNode[]>()
  for (const node of nodes) {
    const parent = node.parentId && ids.has(node.parentId) ? node.parentId : undefined
    children.set(parent, [...(children.get(parent) ?? []), node])
  }
  const lines: string[] = []
  const walk = (parent: string | undefined, indent: string) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.order - b.order)
    list.forEach((node, index) => {
      const last = index === list.length - 1
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${node.label}`)
      const inner = indent + (last ? '   ' : '│  ')
      for (const note of notes.get(node.id) ?? []) lines.push(`${inner}${note}`)
      walk(node.id, inner)
    })
  }
  walk(undefined, '')
  return lines
}
