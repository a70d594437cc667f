/**
 * The deck line of a block, carried into the HTML for the fit check's messages: on code, in the
 * fence's info string (the engine makes it an attribute); elsewhere an empty hidden span at the
 * start of the first text of what Marp renders itself. (Wrappers built as hast carry
 * `data-line` themselves: hast-html.ts.)
 */
import type { PhrasingContent, RootContent } from 'mdast'
import { h } from 'hastscript'
import { htmlNode } from '../core/hast-html.ts'

export function markLine<T extends RootContent>(node: T): T {
  const line = node.position?.start.line
  if (!line) return node
  // after the code-display info (line numbers, highlight steps) the highlighter reads
  if (node.type === 'code') return { ...node, meta: [node.meta, `data-line=${line}`].filter(Boolean).join(' ') }
  const marker = htmlNode(h('span', { dataLine: line, hidden: true })) as PhrasingContent
  let marked = false
  const visit = (current: RootContent): RootContent => {
    if (marked || !('children' in current)) return current
    if (current.type === 'paragraph' || current.type === 'tableCell' || current.type === 'heading') {
      marked = true
      return { ...current, children: [marker, ...current.children] } as RootContent
    }
    const children = current.children as RootContent[]
    const index = children.findIndex((child) => 'children' in child)
    if (index < 0) return current
    const copy = [...children]
    copy[index] = visit(children[index]!)
    return { ...current, children: copy } as RootContent
  }
  return visit(node) as T
}
