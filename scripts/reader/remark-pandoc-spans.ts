/**
 * remark plugin: pandoc's bracketed spans, `[text]{#id .class key=value}`, as `pandocSpan` nodes.
 *
 * A `[text]` that is no link is text for micromark, so the span is found among a paragraph's
 * inline nodes: a `]{...}` whose braces read as attributes, and the nearest unmatched `[` before
 * it in the same parent (the text between may hold emphasis, code, links). The braces may run
 * over a line break, as pandoc allows. Brackets escaped in the source (`\[`) do not count.
 */
import type { Parent, PhrasingContent, Root, Text } from 'mdast'
import type { Point, Position } from 'unist'
import type { VFile } from 'vfile'
import { visit } from 'unist-util-visit'
import { closingBrace, parseAttributeList, type Attributes } from './attributes.ts'

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

/** Where each character of a text node is in the source, and which were escaped (`\\[`). */
interface Alignment {
  offsets: number[]
  escaped: Set<number>
}

const alignments = new WeakMap<Text, Alignment | null>()

/**
 * Aligns a text node with its source: a character is itself or a backslash escape, and a line
 * break skips the next line's prefix (indent, `>`). Undefined when the text does not align (a
 * character reference, say): then its brackets are left alone.
 */
function align(node: Text, source: string): Alignment | undefined {
  const known = alignments.get(node)
  if (known !== undefined) return known ?? undefined
  const { start, end } = node.position ?? {}
  let result: Alignment | null = null
  if (start?.offset !== undefined && end?.offset !== undefined) {
    const offsets: number[] = []
    const escaped = new Set<number>()
    let at = start.offset
    let index = 0
    for (; index < node.value.length; index++) {
      const char = node.value[index]
      if (source[at] === char) {
        offsets.push(at++)
        if (char === '\n') while (/[ \t>]/.test(source[at] ?? '') && source[at] !== node.value[index + 1]) at++
      } else if (source[at] === '\\' && source[at + 1] === char) {
        escaped.add(index)
        offsets.push(at + 1)
        at += 2
      } else break
    }
    offsets.push(at)
    if (index === node.value.length && at === end.offset) result = { offsets, escaped }
  }
  alignments.set(node, result)
  return result ?? undefined
}

function findSpans(children: PhrasingContent[], source: string): void {
  for (let index = 0; index < children.length; index++) {
    const node = children[index]
    const aligned = node?.type === 'text' ? align(node, source) : undefined
    if (node?.type !== 'text' || !aligned) continue
    const close = /\]\{/g
    for (let match = close.exec(node.value); match; match = close.exec(node.value)) {
      if (aligned.escaped.has(match.index) || aligned.escaped.has(match.index + 1)) continue
      const braces = closingBraces(children, index, match.index + 1, source)
      if (!braces) continue
      const parsed = parseAttributeList(braces.text)
      if (parsed.error || parsed.attributes.rawFormat) continue
      const open = openingBracket(children, index, match.index, source)
      if (!open) continue
      wrap(children, open, { index, offset: match.index }, braces, parsed.attributes, source)
      // The span replaced the nodes from the `[` on: go on from there.
      index = open.index - 1
      break
    }
  }
}

/**
 * The attribute list whose `{` is character `at` of text node `index`, read from the source
 * (the braces may hold inline code or emphasis for micromark), where the text node holding its
 * `}` is, and what of that node follows the brace.
 */
function closingBraces(
  children: PhrasingContent[],
  index: number,
  at: number,
  source: string,
): { text: string; end: number; tail: PhrasingContent[] } | undefined {
  const from = align(children[index] as Text, source)?.offsets[at]
  if (from === undefined) return undefined
  const braceEnd = attributesEnd(source, from)
  if (braceEnd === undefined) return undefined
  const text = source.slice(from + 1, braceEnd).replace(/\n[ \t>]*/g, ' ')
  for (let next = index; next < children.length; next++) {
    const node = children[next]
    const { start, end } = node?.position ?? {}
    if (!node || start?.offset === undefined || end?.offset === undefined || end.offset <= braceEnd) continue
    if (start.offset > braceEnd) return undefined
    const offset = node.type === 'text' ? (align(node, source)?.offsets.indexOf(braceEnd) ?? -1) : -1
    if (node.type !== 'text' || offset < 0) return undefined
    const tail: PhrasingContent[] = []
    pushText(tail, node, offset + 1, node.value.length, source)
    return { text, end: next, tail }
  }
  return undefined
}

/** The index of the `}` that ends the attributes opened at `at` (a `{`): not past another `{` or a blank line. */
function attributesEnd(text: string, at: number): number | undefined {
  return closingBrace(text, at, (index) => text[index] === '{' || (text[index] === '\n' && /^\n[ \t>]*\n/.test(text.slice(index, index + 40))))
}

/** The nearest `[` before the `]` at (`index`, `offset`) that no `]` between matches. */
function openingBracket(children: PhrasingContent[], index: number, offset: number, source: string): { index: number; offset: number } | undefined {
  let depth = 0
  for (let at = index; at >= 0; at--) {
    const node = children[at]
    const aligned = node?.type === 'text' ? align(node, source) : undefined
    if (node?.type !== 'text' || !aligned) continue
    const text = at === index ? node.value.slice(0, offset) : node.value
    for (let char = text.length - 1; char >= 0; char--) {
      if (aligned.escaped.has(char)) continue
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
  close: { index: number; offset: number },
  braces: { end: number; tail: PhrasingContent[] },
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
  const stop = braces.tail[0]?.position?.start ?? children[braces.end]?.position?.end
  if (start && stop) span.position = { start, end: { ...stop } } as Position
  const replacement: PhrasingContent[] = []
  pushText(replacement, first, 0, open.offset, source)
  replacement.push(span, ...braces.tail)
  children.splice(open.index, braces.end - open.index + 1, ...replacement)
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

/** The source point of character `offset` of an aligned text node. */
function pointIn(node: Text, offset: number, source: string): Point | undefined {
  const at = align(node, source)?.offsets[offset]
  if (at === undefined) return undefined
  const line = (node.position?.start.line ?? 1) + (source.slice(node.position?.start.offset ?? at, at).match(/\n/g)?.length ?? 0)
  return { line, column: at - (source.lastIndexOf('\n', at - 1) + 1) + 1, offset: at }
}
