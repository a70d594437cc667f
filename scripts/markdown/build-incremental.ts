/**
 * `::: incremental`: every list in the div shows one item per step, as pandoc's beamer writer
 * gives each of them `[<+->]` (nested lists too, one step per item in reading order; text
 * between lists shows from the start). A list that is a block quote's only content is the
 * exception, as in pandoc: not incremental.
 *
 * HTML: the div's content is written with the list markers Marp makes fragmented lists of.
 * PDF: the items not shown yet keep their place, invisible: each carries an empty marker and a
 * style (added to `styles`, the deck's) hides the items that hold one.
 */
import type { ListItem, RootContent } from 'mdast'
import { h } from 'hastscript'
import { divElement } from './build-div.ts'
import { htmlNode, wrap } from './hast-html.ts'
import type { FencedDiv } from './mdast-fenced-divs.ts'
import { takeSteps, type Overlay } from './marp-overlay.ts'
import { stringify } from './marp-stringify.ts'

const HIDDEN = 'overlay-hidden-item'

/** `body`: the div's content, converted. */
export function incrementalDiv(node: FencedDiv, body: RootContent[], overlay: Overlay, styles: Set<string>): RootContent[] {
  if (!overlay.pdf) return wrap(divElement(node), [{ type: 'html', value: stringify(body.map(writeQuotedLists), { incremental: true }) }])
  const items = steppedItems(body)
  const shown = takeSteps(overlay, items.length)
  const hidden = new Set(items.slice(shown))
  const content = hidden.size > 0 ? body.map((child) => hideItems(child, hidden)) : body
  if (hidden.size > 0) styles.add(`li:has(> .${HIDDEN}, > p:first-child > .${HIDDEN}) { visibility: hidden; }`)
  return wrap(divElement(node), [{ type: 'html', value: stringify(content) }])
}

const isQuotedList = (node: RootContent): boolean => node.type === 'blockquote' && node.children.length === 1 && node.children[0]?.type === 'list'

/** HTML: a quoted list written ahead, with the markers of a list that does not step. */
function writeQuotedLists(node: RootContent): RootContent {
  if (isQuotedList(node)) return { type: 'html', value: stringify([node]) }
  if (!('children' in node)) return node
  return { ...node, children: (node.children as RootContent[]).map(writeQuotedLists) } as RootContent
}

/** The items that step, in reading order. */
function steppedItems(nodes: RootContent[]): ListItem[] {
  const items: ListItem[] = []
  const walk = (children: RootContent[]) => {
    for (const child of children) {
      if (child.type === 'list') {
        for (const item of child.children) {
          items.push(item)
          walk(item.children)
        }
      } else if (isQuotedList(child)) {
        continue
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

