/**
 * TeX's wider space after a sentence: with \nonfrenchspacing, the space after `.`, `?`, `!` or
 * `:` gets the font's extra space, unless a capital letter comes before the mark (an initial).
 * Closing quotes and brackets between the mark and the space do not count. The space keeps its
 * place (lines still break there) inside a span the theme widens (`.xspace`).
 */
import type { Html, PhrasingContent, RootContent, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { h } from 'hastscript'
import { htmlNode } from '../core/hast-html.ts'

const xspace = (): Html => htmlNode(h('span.xspace', ' '))

const SENTENCE_END = /(?<=[^\sA-Z][.?!:]['")\]’”]*)[ \n](?=\S|$)/g

/** `before`: the text just before the node (a sentence may end in the node before it). */
function splitText(node: Text, before = ''): PhrasingContent[] {
  const context = before.slice(-1)
  const parts = (context + node.value).split(SENTENCE_END)
  parts[0] = parts[0]!.slice(context.length)
  if (parts.length === 1) return [node]
  const out: PhrasingContent[] = []
  parts.forEach((part, index) => {
    if (index > 0) out.push(xspace())
    if (part !== '') out.push({ type: 'text', value: part })
  })
  return out
}

const ENDS_SENTENCE = /[^\sA-Z][.?!:]['")\]’”]*$/

/** The node with sentence spaces marked in its text (not in code, HTML or link targets). */
export function markSentenceSpaces<T extends RootContent>(node: T): T {
  if (!('children' in node)) return node
  let previous: RootContent | undefined
  const children = (node.children as RootContent[]).flatMap((child): RootContent[] => {
    const after = previous
    previous = child
    if (child.type !== 'text') return [markSentenceSpaces(child)]
    const before = after ? toString(after) : ''
    // `**done.** Next`: the mark ends the node before, the space starts this one.
    if (/^[ \n]\S/.test(child.value) && ENDS_SENTENCE.test(before)) {
      return [xspace(), ...splitText({ ...child, value: child.value.slice(1) })]
    }
    return splitText(child, before)
  })
  return { ...node, children } as T
}
