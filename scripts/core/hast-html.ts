/**
 * The HTML in the Marp Markdown is built as hast and serialised here, in one way: whole
 * elements as HTML nodes of the mdast, and wrappers as their opening and closing tags around
 * Markdown that Marp renders itself (lists, tables and code keep Marp's rendering).
 */
import type { Element, ElementContent, Properties } from 'hast'
import type { Html, RootContent } from 'mdast'
import { toHtml } from 'hast-util-to-html'

/** Where a wrapper's content goes (a comment no Markdown can contain as it is). */
const SLOT = 'marp-markdown content'

export function htmlOf(node: ElementContent | ElementContent[]): string {
  return toHtml(node, { characterReferences: { useNamedReferences: true } })
}

export function htmlNode(node: ElementContent | ElementContent[]): Html {
  return { type: 'html', value: htmlOf(node) }
}

/** The tags of `element` around content that follows its own children: [opening, closing]. */
export function wrapperTags(element: Element): [string, string] {
  const [open, close] = htmlOf({ ...element, children: [...element.children, { type: 'comment', value: SLOT }] }).split(`<!--${SLOT}-->`)
  return [open!, close!]
}

/** `content` (Markdown) inside `element`: its tags as HTML nodes around it. */
export function wrap(element: Element, content: RootContent[]): RootContent[] {
  const [open, close] = wrapperTags(element)
  return [{ type: 'html', value: open }, ...content, { type: 'html', value: close }]
}

/** `data-line`: the deck line of a block, carried into the HTML for the fit check's messages. */
export function lineProperties(node: { position?: { start: { line: number } } | undefined }): Properties {
  const line = node.position?.start.line
  return line ? { dataLine: line } : {}
}
