/**
 * remark plugin: pandoc's grid tables (see micromark-grid-table) as mdast tables. The columns
 * are where the first border has its `+`; a row runs from border to border and its cells are
 * read as Markdown (several blocks in a cell are joined by line breaks, since an mdast table
 * cell holds inline content); a `+===+` border ends the header, whose colons give the alignment.
 * A table without a header line takes its first row as the header (mdast has no headless table).
 */
import type { PhrasingContent, Root, RootContent, Table, TableCell, TableRow } from 'mdast'
import type { Processor } from 'unified'
import type { CompileContext, Token } from 'mdast-util-from-markdown'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { gfm } from 'micromark-extension-gfm'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import { BORDER, gridTable } from './syntax/grid-table.ts'

export default function remarkGridTable(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(gridTable())
  ;(data.fromMarkdownExtensions ??= []).push({
    enter: {
      gridTable(this: CompileContext, token: Token) {
        this.enter({ type: 'table', align: [], children: [] } as Table, token)
      },
    },
    exit: {
      gridTableLine(this: CompileContext, token: Token) {
        const table = this.stack[this.stack.length - 1] as Table & { data?: { lines?: string[] } }
        table.data = { ...table.data, lines: [...(table.data?.lines ?? []), this.sliceSerialize(token)] }
      },
      gridTable(this: CompileContext, token: Token) {
        const table = this.stack[this.stack.length - 1] as Table & { data?: { lines?: string[] } }
        const lines = table.data?.lines ?? []
        delete table.data
        Object.assign(table, readGrid(lines))
        this.exit(token)
      },
    },
  })
}

function readGrid(lines: string[]): Pick<Table, 'align' | 'children'> {
  const first = lines[0] ?? ''
  const edges = [...first].flatMap((char, index) => (char === '+' ? [index] : []))
  const columns = edges.slice(1).map((end, index) => [(edges[index] ?? 0) + 1, end] as const)
  const headerBorder = lines.findIndex((line, index) => index > 0 && BORDER.test(line) && line.includes('='))
  const alignFrom = headerBorder > 0 ? (lines[headerBorder] ?? first) : first
  const align = columns.map(([from, to]): 'left' | 'right' | 'center' | null => {
    const spec = alignFrom.slice(from, to)
    const left = spec.startsWith(':')
    const right = spec.endsWith(':')
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null
  })
  const rows: TableRow[] = []
  let rowLines: string[] = []
  for (const line of lines.slice(1)) {
    if (!BORDER.test(line)) {
      rowLines.push(line)
      continue
    }
    rows.push({ type: 'tableRow', children: columns.map(([from, to]) => cell(rowLines.map((row) => row.slice(from, to)))) })
    rowLines = []
  }
  return { align, children: rows }
}

/** A cell's lines, read as Markdown and flattened to inline content. */
function cell(lines: string[]): TableCell {
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0))
  const text = lines.map((line) => line.slice(Number.isFinite(indent) ? indent : 0).trimEnd()).join('\n')
  const tree: Root = fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })
  const children: PhrasingContent[] = []
  const add = (nodes: PhrasingContent[]) => {
    if (children.length > 0) children.push({ type: 'break' })
    children.push(...nodes)
  }
  const walk = (nodes: RootContent[]) => {
    for (const node of nodes) {
      if (node.type === 'paragraph' || node.type === 'heading') add(node.children)
      else if (node.type === 'list') for (const item of node.children) walk(item.children)
      else add([{ type: 'text', value: toString(node) }])
    }
  }
  walk(tree.children)
  // Positions inside the cell's own text would point at the wrong lines of the deck.
  visit({ type: 'tableCell', children } as TableCell, (node) => {
    delete node.position
  })
  return { type: 'tableCell', children }
}
