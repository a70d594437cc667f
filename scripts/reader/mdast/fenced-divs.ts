/**
 * mdast utility for pandoc fenced divs: turns the tokens of `micromark-fenced-divs` into
 * `fencedDiv` nodes.
 */
import type { BlockContent, DefinitionContent } from 'mdast'
import type { CompileContext, Extension as FromMarkdownExtension, Token } from 'mdast-util-from-markdown'
import { parseDivInfo, parseHtmlAttributes, type Attributes } from '../attributes.ts'

export interface FencedDiv {
  type: 'fencedDiv'
  attributes: Attributes
  /** false when the document ended before the div's closing fence. */
  closed: boolean
  /** Written as `<div ...>` ... `</div>` (pandoc's native_divs). */
  html?: boolean
  children: Array<BlockContent | DefinitionContent>
  position?: import('unist').Position
}

declare module 'mdast' {
  interface RootContentMap {
    fencedDiv: FencedDiv
  }
  interface BlockContentMap {
    fencedDiv: FencedDiv
  }
}

export function fencedDivsFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      fencedDiv(this: CompileContext, token: Token) {
        this.enter({ type: 'fencedDiv', attributes: { classes: [], values: {} }, closed: false, children: [] }, token)
      },
    },
    exit: {
      fencedDivInfo(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as unknown as FencedDiv
        const parsed = parseDivInfo(this.sliceSerialize(token))
        if (parsed) node.attributes = parsed.attributes
      },
      fencedDivHtmlTag(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as unknown as FencedDiv & { tag?: string }
        node.tag = this.sliceSerialize(token)
        node.html = true
        node.attributes = parseHtmlAttributes(node.tag)
      },
      fencedDiv(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as unknown as FencedDiv & { tag?: string }
        node.closed = (token as Token & { _closed?: boolean })._closed === true
        const tag = node.tag
        delete node.tag
        this.exit(token)
        if (!node.html || node.closed) return
        // A `<div>` without its `</div>` is raw HTML before Markdown, as for pandoc.
        const parent = this.stack[this.stack.length - 1] as unknown as { children: unknown[] }
        parent.children.pop()
        const start = node.position?.start
        const html = { type: 'html', value: tag ?? '<div>', ...(start ? { position: { start, end: { ...start, column: start.column + (tag?.length ?? 0), offset: (start.offset ?? 0) + (tag?.length ?? 0) } } } : {}) }
        parent.children.push(html, ...node.children)
      },
    },
  }
}
