/**
 * remark plugin: pandoc's bracketed spans, `[text]{#id .class key=value}`, as `pandocSpan` nodes.
 *
 * A `[text]` that is no link is text for micromark, so the span is found among a paragraph's
 * inline nodes: a `]{...}` whose braces read as attributes, and the nearest unmatched `[` before
 * it in the same parent (the text between may hold emphasis, code, links). The braces may run
 * over a line break, as pandoc allows. Brackets that were escaped in the source (`\[`) do not count.
 */
import type { Parent, PhrasingContent, Root, Text } from 'mdast'
import type { Point, Position } from 'unist'
import type { VFile } from 'vfile'
import { visit } from 'unist-util-visit'
import { parseAttributeList, type Attributes } from './attributes.ts'

export interface PandocSpan extends Parent {
  type: 'pandocSpan'
  attributes: Attributes
  children: PhrasingContent[]
}

declare module 'mdast' {
  interface PhrasingContentMap {
    pandocSpan: PandocSpan
  }
  interface RootContentMap {
    pandocSpan: PandocSpan
  }
}

export default function remarkPandocSpans() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    visit(tree, (node) => {
      if (!('children' in node) || node.type === 'pandocSpan') return
      const parent = node as Parent
      if (parent.children.some((child) => child.type === 'text')) findSpans(parent.children as PhrasingContent[], source)
    })
  }
}

/**
 * Text nodes whose source is their value (no escapes; line prefixes of lists and quotes aside):
 * only their brackets are syntax.
 */
function literal(node: Text, source: string): boolean {
  const { start, end } = node.position ?? {}
  if (start?.offset === undefined || end?.offset === undefined) return false
  const lines = (text: string) => text.replace(/\n[ \t>]*/g, '\n')
  return lines(source.slice(start.offset, end.offset)) === lines(node.value)
}

function findSpans(children: PhrasingContent[], source: string): void {
  for (let index = 0; index < children.length; index++) {
    const node = children[index]
    if (node?.type !== 'text' || !literal(node, source)) continue
    const close = /\]\{/g
    for (let match = close.exec(node.value); match; match = close.exec(node.value)) {
      const braceEnd = attributesEnd(node.value, match.index + 1)
      if (braceEnd === undefined) continue
      const parsed = parseAttributeList(node.value.slice(match.index + 2, braceEnd))
      if (parsed.error || parsed.attributes.rawFormat) continue
      const open = openingBracket(children, index, match.index, source)
      if (!open) continue
      wrap(children, open, { index, offset: match.index, end: braceEnd + 1 }, parsed.attributes, source)
      // The span replaced the nodes from the `[` on: go on from there.
      index = open.index - 1
      break
    }
  }
}

/** The index of the `}` that ends the attributes opened at `at` (a `{`), over quoted values. */
function attributesEnd(text: string, at: number): number | undefined {
  let quote: string | undefined
  for (let index = at + 1; index < text.length; index++) {
    const char = text[index]
    if (quote) {
      if (char === '\\') index++
      else if (char === quote) quote = undefined
    } else if ((char === '"' || char === "'") && text[index - 1] === '=') quote = char
    else if (char === '}') return index
    else if (char === '{') return undefined
  }
  return undefined
}

/** The nearest `[` before the `]` at (`index`, `offset`) that no `]` between matches. */
function openingBracket(children: PhrasingContent[], index: number, offset: number, source: string): { index: number; offset: number } | undefined {
  let depth = 0
  for (let at = index; at >= 0; at--) {
    const node = children[at]
    if (node?.type !== 'text' || !literal(node, source)) continue
    const text = at === index ? node.value.slice(0, offset) : node.value
    for (let char = text.length - 1; char >= 0; char--) {
      if (text[char] === ']') depth++
      else if (text[char] === '[') {
        if (depth === 0) return { index: at, offset: char }
        depth--
      }
    }
  }
  return undefined
}

function wrap(
  children: PhrasingContent[],
  open: { index: number; offset: number },
  close: { index: number; offset: number; end: number },
  attributes: Attributes,
  source: string,
): void {
  const first = children[open.index] as Text
  const last = children[close.index] as Text
  const inner: PhrasingContent[] = []
  if (open.index === close.index) {
    pushText(inner, first, open.offset + 1, close.offset, source)
  } else {
    pushText(inner, first, open.offset + 1, first.value.length, source)
    inner.push(...children.slice(open.index + 1, close.index))
    pushText(inner, last, 0, close.offset, source)
  }
  const span: PandocSpan = { type: 'pandocSpan', attributes, children: inner }
  const start = pointIn(first, open.offset, source)
  const end = pointIn(last, close.end, source)
  if (start && end) span.position = { start, end } as Position
  const replacement: PhrasingContent[] = []
  pushText(replacement, first, 0, open.offset, source)
  replacement.push(span)
  pushText(replacement, last, close.end, last.value.length, source)
  children.splice(open.index, close.index - open.index + 1, ...replacement)
}

/** Adds the part `from`-`to` of a text node, with its position, unless it is empty. */
function pushText(list: PhrasingContent[], node: Text, from: number, to: number, source: string): void {
  if (to <= from) return
  const text: Text = { type: 'text', value: node.value.slice(from, to) }
  const start = pointIn(node, from, source)
  const end = pointIn(node, to, source)
  if (start && end) text.position = { start, end }
  list.push(text)
}

/** The source point of character `offset` of a literal text node (past the line prefixes). */
function pointIn(node: Text, offset: number, source: string): Point | undefined {
  const start = node.position?.start
  if (!start || start.offset === undefined) return undefined
  let at = start.offset
  let line = start.line
  let lineStart = start.offset - (start.column - 1)
  for (let index = 0; index < offset; index++) {
    at++
    if (node.value[index] !== '\n') continue
    line++
    lineStart = at
    while (/[ \t>]/.test(source[at] ?? '') && source[at] !== node.value[index + 1]) at++
  }
  return { line, column: at - lineStart + 1, offset: at }
}
