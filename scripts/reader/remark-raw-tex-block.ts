/**
 * remark plugin: pandoc's raw TeX blocks (see micromark-raw-tex-block). Such a block is kept as
 * a paragraph of its text, not read as Markdown, and marked `data.rawTex`, so that the raw TeX
 * stage (remark-raw-tex) maps or drops its commands as it does for TeX in any paragraph.
 */
import type { Paragraph, Text } from 'mdast'
import type { Processor } from 'unified'
import type { CompileContext, Token } from 'mdast-util-from-markdown'
import { rawTexBlock } from './syntax/raw-tex-block.ts'

declare module 'mdast' {
  interface ParagraphData {
    /** The paragraph is a raw TeX block for pandoc (`RawBlock tex`). */
    rawTex?: boolean
  }
}

export default function remarkRawTexBlock(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(rawTexBlock())
  ;(data.fromMarkdownExtensions ??= []).push({
    enter: {
      rawTexBlock(this: CompileContext, token: Token) {
        const text: Text = { type: 'text', value: '' }
        this.enter({ type: 'paragraph', data: { rawTex: true }, children: [text] } as Paragraph, token)
      },
    },
    exit: {
      rawTexBlockValue(this: CompileContext, token: Token) {
        append(this, this.sliceSerialize(token))
      },
      rawTexBlockLineEnding(this: CompileContext) {
        append(this, '\n')
      },
      rawTexBlock(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as Paragraph
        const text = node.children[0] as Text
        text.value = text.value.trim()
        if (node.position) text.position = { start: node.position.start, end: { ...token.end } }
        this.exit(token)
      },
    },
  })
}

function append(context: CompileContext, value: string): void {
  const node = context.stack[context.stack.length - 1] as Paragraph
  const text = node.children[0] as Text
  text.value += value
}
