/** One test per pandoc fenced-div rule (see shared/corpus/pandoc-beamer/README.md). */
import { unified } from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import type { Root, RootContent } from 'mdast'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import remarkFencedDivs from '../scripts/reader/remark-fenced-divs.ts'

/** A compact picture of the block tree: `div.columns[div.column[p] div.column[list]]`. */
function shape(nodes: RootContent[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'fencedDiv') {
        const { classes, values, id } = node.attributes
        const attrs = [id ? `#${id}` : '', ...classes.map((c) => `.${c}`), ...Object.entries(values).map(([k, v]) => `{${k}=${v}}`)]
        return `div${attrs.join('')}[${shape(node.children as RootContent[])}]`
      }
      if (node.type === 'paragraph') return 'p'
      if (node.type === 'list') return `list(${node.children.length})`
      if (node.type === 'code') return 'code'
      if (node.type === 'heading') return `h${node.depth}`
      return node.type
    })
    .join(' ')
}

async function parse(markdown: string): Promise<{ tree: Root; file: VFile }> {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFencedDivs)
  const file = new VFile({ path: 'deck.md', value: markdown })
  const tree = processor.parse(file)
  await processor.run(tree, file)
  return { tree, file }
}

const rules: Array<[string, string, string]> = [
  ['a fence with a class word opens a div', '::: notes\nSay this.\n:::\n', 'div.notes[p]'],
  ['braced attributes, unquoted', '::: {.column width=40%}\nx\n:::\n', 'div.column{width=40%}[p]'],
  ['braced attributes, double quoted', '::: {.column width="40%"}\nx\n:::\n', 'div.column{width=40%}[p]'],
  ['braced attributes, single quoted, id and classes', "::: {#intro .a .b key='v w'}\nx\n:::\n", 'div#intro.a.b{key=v w}[p]'],
  ['nesting by fence: shorter outer fence (pandoc closes the innermost)', '::: columns\n:::: column\nL\n::::\n:::: column\nR\n::::\n:::\n', 'div.columns[div.column[p] div.column[p]]'],
  ['nesting by fence: longer outer fence', ':::::: columns\n::: column\nL\n:::\n::: column\nR\n:::\n::::::\nafter\n', 'div.columns[div.column[p] div.column[p]] p'],
  ['a bare fence closes whatever its length', '::: a\n::: b\nx\n::::::::::\ny\n:::\n', 'div.a[div.b[p] p]'],
  ['a closing fence ends a list item', '::: column\n- Item 1.\n- Item 2.\n:::\nafter\n', 'div.column[list(2)] p'],
  ['an opening fence does not interrupt a paragraph', 'text\n::: note\nmore\n', 'p'],
  ['a bare fence never opens', ':::\ntext\n', 'p'],
  ['colons after the attributes are allowed', '::: {.warning} :::\nx\n:::\n', 'div.warning[p]'],
  ['fences inside fenced code are code', '::: demo\n```\n:::\n::: x\n```\n:::\n', 'div.demo[code]'],
  ['blank lines and blocks inside', '::: block\n\n# H\n\n- a\n\n```\nc\n```\n\n:::\n', 'div.block[h1 list(1) code]'],
  ['inside a block quote', '> ::: note\n> quoted\n> :::\n', 'blockquote'],
]

describe('pandoc fenced divs', () => {
  it.each(rules)('%s', async (_name, markdown, expected) => {
    const { tree } = await parse(markdown)
    expect(shape(tree.children)).toBe(expected)
  })

  it('an unclosed div is an error at its opening fence', async () => {
    await expect(parse('# A\n\n::: columns\ntext\n')).rejects.toThrow(/Unclosed div `columns`/)
    const { file } = await parse('# A\n\n::: columns\ntext\n').catch(() => ({ file: undefined }))
    expect(file).toBeUndefined()
  })

  it('reports the unclosed div with its line and column', async () => {
    const file = new VFile({ path: 'deck.md', value: 'intro\n\n- ::: {.column}\n  x\n' })
    const processor = unified().use(remarkParse).use(remarkFencedDivs)
    await expect(processor.run(processor.parse(file), file)).rejects.toThrow()
    expect(file.messages[0]?.line).toBe(3)
    expect(file.messages[0]?.column).toBe(3)
  })

  it('keeps positions of nested content', async () => {
    const { tree } = await parse('::: columns\n:::: column\nLeft\n::::\n:::\n')
    const outer = tree.children[0]
    expect(outer?.position?.start.line).toBe(1)
    expect(outer?.position?.end.line).toBe(5)
    const inner = outer?.type === 'fencedDiv' ? outer.children[0] : undefined
    expect(inner?.position?.start.line).toBe(2)
  })
})
