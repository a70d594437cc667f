/**
 * Incremental lists, as pandoc's beamer writer has them: in an `::: incremental` div every list
 * gets `[<+->]`, one item per step in reading order (nested lists too; text between lists shows
 * from the start); `::: nonincremental` turns that off again, and a list that is a block quote's
 * only content is a list incremental the other way round (its quote dropped).
 *
 * HTML: stepped lists are written with the list markers Marp makes fragmented lists of.
 * PDF: the items not shown yet keep their place, invisible: each carries an empty marker and a
 * style (added to `styles`, the deck's) hides the items that hold one.
 */
import type { Blockquote, List, ListItem, RootContent } from 'mdast'
import { h } from 'hastscript'
import { htmlNode } from '../core/hast-html.ts'
import { takeSteps, type Overlay } from './overlay.ts'
import { stringify } from './stringify.ts'

const HIDDEN = 'overlay-hidden-item'

/** pandoc: a block quote of a single list makes the list incremental the other way round. */
export function quotedList(node: RootContent): List | undefined {
  const list = node.type === 'blockquote' ? (node as Blockquote).children[0] : undefined
  return node.type === 'blockquote' && node.children.length === 1 && list?.type === 'list' ? list : undefined
}

/** `content` (converted) with every list in it stepping, one item per step. */
export function steppedLists(content: RootContent[], overlay: Overlay, styles: Set<string>): RootContent[] {
  if (!overlay.pdf) return [{ type: 'html', value: stringify(content, { incremental: true }) }]
  const items = steppedItems(content)
  const shown = takeSteps(overlay, items.length)
  const hidden = new Set(items.slice(shown))
  if (hidden.size === 0) return [{ type: 'html', value: stringify(content) }]
  styles.add(`li:has(> .${HIDDEN}, > p:first-child > .${HIDDEN}) { visibility: hidden; }`)
  return [{ type: 'html', value: stringify(content.map((child) => hideItems(child, hidden))) }]
}

/** `content` (converted) written ahead, so that its lists keep still inside stepped content. */
export function stillLists(content: RootContent[]): RootContent[] {
  return [{ type: 'html', value: stringify(content) }]
}

/** The list items, in reading order (what is written ahead is not among them). */
function steppedItems(nodes: RootContent[]): ListItem[] {
  const items: ListItem[] = []
  const walk = (children: RootContent[]) => {
    for (const child of children) {
      if (child.type === 'list') {
        for (const item of child.children) {
          items.push(item)
          walk(item.children)
        }
      } else if ('children' in child) {
        walk(child.children as RootContent[])
      }
    }
  }
  walk(nodes)
  return items
}

/** A copy of `node` with a marker in each of the `hidden` items. */
function hideItems<T extends RootContent>(node: T, hidden: Set<ListItem>): T {
  if (!('children' in node)) return node
  const children = (node.children as RootContent[]).map((child) => hideItems(child, hidden))
  if (node.type === 'listItem' && hidden.has(node)) return { ...node, children: markFirst(children) } as T
  return { ...node, children } as T
}

function markFirst(children: RootContent[]): RootContent[] {
  const marker = htmlNode(h('span', { className: [HIDDEN] }))
  const [first, ...rest] = children
  if (first?.type === 'paragraph') return [{ ...first, children: [marker, ...first.children] }, ...rest]
  return [marker, ...children]
}
