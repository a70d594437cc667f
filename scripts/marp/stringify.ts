/**
 * mdast to the Markdown Marp reads, with the pandoc blocks Marp's Markdown has no syntax for as
 * HTML around Markdown: a div inside a list item, a definition list (`<dl>`), a line block (its
 * lines joined by line breaks), a bracketed span (`<span>` with its id and classes), and a
 * pause where it cannot make a step (inside a list, say).
 */
import type { Parents, PhrasingContent, Root, RootContent } from 'mdast'
import { h } from 'hastscript'
import { toMarkdown, type Handle, type Options as ToMarkdownOptions } from 'mdast-util-to-markdown'
import { gfmToMarkdown } from 'mdast-util-gfm'
import type { FencedDiv } from '../reader/mdast/fenced-divs.ts'
import type { LineBlock } from '../reader/remark-line-block.ts'
import type { PandocSpan } from '../reader/remark-pandoc-spans.ts'
import { attributeProperties, divElement } from './build-div.ts'
import { htmlOf, wrapperTags } from '../core/hast-html.ts'

/** `incremental`: lists written with the markers Marp makes fragmented lists of (`*` and `1)`). */
export function stringify(nodes: RootContent[], options: { incremental?: boolean } = {}): string {
  const root: Root = { type: 'root', children: nodes }
  return toMarkdown(root, options.incremental ? incrementalOptions : plainOptions).trim()
}

/**
 * Made once, not per call (a deck has a call per slide): toMarkdown compiles each unsafe pattern
 * once per pattern object, and GFM's patterns are new objects on every gfmToMarkdown().
 */
function markdownOptions(incremental: boolean): ToMarkdownOptions {
  return {
    extensions: [gfmToMarkdown()],
    bullet: incremental ? '*' : '-',
    bulletOther: incremental ? '+' : '*',
    bulletOrdered: incremental ? ')' : '.',
    listItemIndent: 'one',
    fences: true,
    rule: '*',
    handlers: pandocBlockHandlers as never,
  }
}

const pandocBlockHandlers: Partial<Record<string, Handle>> = {
  fencedDiv: (node: FencedDiv, _parent, state, info) => {
    const [open, close] = wrapperTags(divElement(node))
    return `${open}\n\n${state.containerFlow(node as never, info)}\n\n${close}`
  },
  defList: (node: Parents, _parent, state, info) => {
    const [open, close] = wrapperTags(h('dl'))
    const items = node.children.map((child) => {
      const term = child.type === 'defListTerm'
      const [itemOpen, itemClose] = wrapperTags(h(term ? 'dt' : 'dd'))
      const content = term ? state.containerPhrasing(child as never, info) : state.containerFlow(child as never, info)
      return `${itemOpen}\n\n${content}\n\n${itemClose}`
    })
    return `${open}\n${items.join('\n')}\n${close}`
  },
  pandocSpan: (node: PandocSpan, _parent, state, info) => {
    const [open, close] = wrapperTags(h('span', attributeProperties(node.attributes)))
    return `${open}${state.containerPhrasing(node as never, info)}${close}`
  },
  lineBlock: (node: LineBlock, _parent, state, info) => {
    const children = node.children.flatMap((line, index): PhrasingContent[] => (index === 0 ? line.children : [{ type: 'break' }, ...line.children]))
    return state.containerPhrasing({ type: 'paragraph', children }, info)
  },
  pause: () => htmlOf(h('div.pause')),
}

const plainOptions = markdownOptions(false)
const incrementalOptions = markdownOptions(true)
