/**
 * remark plugin: pandoc attribute braces that CommonMark leaves as text.
 * - headings: `## Title {.fragile}` -> `heading.data.attributes`
 * - images and inline code: `![](a.png){ height=10% }` -> `image.data.attributes`
 * - code blocks: ```` ```{.python file="x.py"} ```` -> `code.lang = 'python'`, `code.data.attributes`
 * - `\ ` (pandoc's escaped space) -> a non-breaking space
 */
import type { Root, Text } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from 'unist-util-visit'
import { parseAttributeList, splitTrailingAttributes, takeLeadingAttributes, type Attributes } from './attributes.ts'

declare module 'mdast' {
  interface Data {
    attributes?: Attributes
  }
}

export default function remarkPandocAttributes() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'heading', (heading) => {
      const last = heading.children[heading.children.length - 1]
      if (last?.type !== 'text') return
      const split = splitTrailingAttributes(last.value)
      if (!split) return
      last.value = split.before
      if (last.value === '') heading.children.pop()
      heading.data = { ...heading.data, attributes: split.attributes }
    })

    visit(tree, 'code', (code) => {
      if (!code.lang?.startsWith('{')) return
      const info = `${code.lang} ${code.meta ?? ''}`.trim()
      const match = /^\{(.*)\}$/.exec(info)
      const parsed = match?.[1] !== undefined ? parseAttributeList(match[1]) : undefined
      if (!parsed || parsed.error) {
        file.message(`Cannot read the code block's attributes \`${info}\`: ${parsed?.error ?? 'expected `{...}`'}`, {
          place: code.position,
          ruleId: 'code-attributes',
          source: 'deck',
        })
        return
      }
      code.lang = parsed.attributes.classes[0] ?? null
      code.meta = null
      code.data = { ...code.data, attributes: parsed.attributes }
    })

    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined || (node.type !== 'image' && node.type !== 'inlineCode')) return
      const next = parent.children[index + 1]
      if (next?.type !== 'text' || next.value.startsWith('{=')) return
      const taken = takeLeadingAttributes(next.value)
      if (!taken) return
      node.data = { ...node.data, attributes: taken.attributes }
      next.value = next.value.slice(taken.length)
      if (next.position) next.position.start = { ...next.position.start, column: next.position.start.column + taken.length }
    })

    visit(tree, 'text', (text: Text) => {
      // pandoc's all_symbols_escapable: `\ ` is a non-breaking space.
      if (text.value.includes('\\ ')) text.value = text.value.replace(/\\ /g, '\u00a0')
    })
  }
}
