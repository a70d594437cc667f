/**
 * remark plugin: pandoc attribute braces.
 * - images, links and inline code: `![](a.png){ height=10% }` -> `image.data.attributes`, read as
 *   one token by micromark-attributes (a brace list anywhere else stays text);
 * - headings: `## Title {.fragile}` -> `heading.data.attributes`;
 * - code blocks: ```` ```{.python file="x.py"} ```` -> `code.lang = 'python'`, `code.data.attributes`;
 * - `\ ` (pandoc's escaped space) -> a non-breaking space.
 */
import type { Root, Text } from 'mdast'
import type { Processor } from 'unified'
import type { VFile } from 'vfile'
import type { CompileContext, Token } from 'mdast-util-from-markdown'
import { visit, SKIP } from 'unist-util-visit'
import { parseAttributeList, splitTrailingAttributes, type Attributes } from './attributes.ts'
import { pandocAttributes } from './syntax/attributes.ts'

declare module 'mdast' {
  interface Data {
    attributes?: Attributes
  }
  interface PandocAttributes extends Literal {
    type: 'pandocAttributes'
    attributes: Attributes
  }
  interface PhrasingContentMap {
    pandocAttributes: PandocAttributes
  }
  interface RootContentMap {
    pandocAttributes: PandocAttributes
  }
}

export default function remarkPandocAttributes(this: Processor) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(pandocAttributes())
  ;(data.fromMarkdownExtensions ??= []).push({
    enter: {
      pandocAttributes(this: CompileContext, token: Token) {
        this.enter({ type: 'pandocAttributes', value: '', attributes: { classes: [], values: {} } }, token)
      },
    },
    exit: {
      pandocAttributes(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as unknown as { value: string; attributes: Attributes }
        node.value = this.sliceSerialize(token)
        node.attributes = parseAttributeList(node.value.slice(1, -1)).attributes
        this.exit(token)
      },
    },
  })

  return (tree: Root, file: VFile): void => {
    // Attach each brace list to the image, link or inline code before it; else it is text.
    visit(tree, 'pandocAttributes', (node, index, parent) => {
      if (!parent || index === undefined) return
      const previous = parent.children[index - 1]
      if (previous && (previous.type === 'image' || previous.type === 'inlineCode' || previous.type === 'link')) {
        previous.data = { ...previous.data, attributes: node.attributes }
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      parent.children[index] = { type: 'text', value: node.value, ...(node.position ? { position: node.position } : {}) }
      return undefined
    })

    // An autolink (`<https://...>`) is pandoc's link of class `uri` (`email` for an address).
    visit(tree, 'link', (link) => {
      const start = link.position?.start.offset
      const only = link.children.length === 1 && link.children[0]?.type === 'text' ? link.children[0].value : undefined
      if (link.data?.attributes || start === undefined || String(file.value)[start] !== '<' || only === undefined) return
      if (link.url === only) link.data = { ...link.data, attributes: { classes: ['uri'], values: {} } }
      else if (link.url === `mailto:${only}`) link.data = { ...link.data, attributes: { classes: ['email'], values: {} } }
    })

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
      // A bare language word is pandoc's class, lower-cased (```` ```Makefile ```` is `.makefile`).
      if (code.lang && !code.lang.startsWith('{')) code.lang = code.lang.toLowerCase().replace(/^c\+\+$/, 'cpp')
      if (!code.lang?.startsWith('{')) return
      // As written (the fence's line): the info string as parsed has its escapes decoded already,
      // and the attributes decode them (once, as pandoc does).
      const info = fenceInfo(String(file.value), code.position?.start.offset) ?? `${code.lang} ${code.meta ?? ''}`.trim()
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

    visit(tree, 'text', (text: Text) => {
      // pandoc's all_symbols_escapable: `\ ` is a non-breaking space.
      if (text.value.includes('\\ ')) text.value = text.value.replace(/\\ /g, '\u00a0')
    })
  }
}

/** The info string of the code fence at `offset`, as written: the rest of its line, trimmed. */
function fenceInfo(source: string, offset: number | undefined): string | undefined {
  if (offset === undefined) return undefined
  const end = source.indexOf('\n', offset)
  const line = source.slice(offset, end < 0 ? undefined : end).replace(/\r$/, '')
  const fence = /^(`{3,}|~{3,})\s*(\{.*\})\s*$/.exec(line)
  return fence?.[2]
}
