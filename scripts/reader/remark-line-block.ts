/**
 * remark plugin: pandoc's line blocks (see micromark-line-block) as `lineBlock` nodes of
 * `lineBlockLine`s; the spaces that start a line are kept (non-breaking), as pandoc keeps them.
 */
import type { Parent, PhrasingContent } from 'mdast'
import type { Processor } from 'unified'
import type { CompileContext, Token } from 'mdast-util-from-markdown'
import { lineBlock } from './syntax/line-block.ts'

export interface LineBlockLine extends Parent {
  type: 'lineBlockLine'
  children: PhrasingContent[]
}

export interface LineBlock extends Parent {
  type: 'lineBlock'
  children: LineBlockLine[]
}

declare module 'mdast' {
  interface RootContentMap {
    lineBlock: LineBlock
    lineBlockLine: LineBlockLine
  }
  interface BlockContentMap {
    lineBlock: LineBlock
  }
}

export default function remarkLineBlock(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(lineBlock())
  ;(data.fromMarkdownExtensions ??= []).push({
    enter: {
      lineBlock(this: CompileContext, token: Token) {
        this.enter({ type: 'lineBlock', children: [] } as LineBlock as never, token)
      },
      lineBlockLine(this: CompileContext, token: Token) {
        this.enter({ type: 'lineBlockLine', children: [] } as LineBlockLine as never, token)
      },
    },
    exit: {
      lineBlock(this: CompileContext, token: Token) {
        this.exit(token)
      },
      lineBlockLine(this: CompileContext, token: Token) {
        const line = this.stack[this.stack.length - 1] as unknown as LineBlockLine
        const first = line.children[0]
        if (first?.type === 'text') first.value = first.value.replace(/^ +/, (spaces) => '\u00a0'.repeat(spaces.length))
        this.exit(token)
      },
    },
  })
}
