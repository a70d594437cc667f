/**
 * mdast utility for pandoc fenced divs: turns the tokens of `micromark-fenced-divs` into
 * `fencedDiv` nodes.
 */
import type { BlockContent, DefinitionContent } from 'mdast'
import type { CompileContext, Extension as FromMarkdownExtension, Token } from 'mdast-util-from-markdown'
import { parseDivInfo, type Attributes } from './attributes.ts'

export interface FencedDiv {
  type: 'fencedDiv'
  attributes: Attributes
  /** false when the document ended before the div's closing fence. */
  closed: boolean
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
      fencedDiv(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as unknown as FencedDiv
        node.closed = (token as Token & { _closed?: boolean })._closed === true
        this.exit(token)
      },
    },
  }
}
