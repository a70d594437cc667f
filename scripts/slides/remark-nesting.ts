/**
 * remark plugin: how deep lists and block quotes nest. The renderer (markdown-it, in Marp) drops
 * what lies deeper than its nesting limit, text included, without a word; render/engine.ts raises
 * that limit well above MAX_NESTING, and a deck that nests deeper than MAX_NESTING is an error at
 * the first block too deep, so nothing is ever lost silently.
 */
import type { Nodes, Root } from 'mdast'
import type { VFile } from 'vfile'

/** Lists, or block quotes, inside one another: at most this many (pandoc reads any depth). */
export const MAX_NESTING = 100

export default function remarkNesting() {
  return (tree: Root, file: VFile): void => {
    // Depth first, without recursion: each entry holds a node and how many lists and quotes hold it.
    const stack: Array<[Nodes, number, number]> = [[tree, 0, 0]]
    while (stack.length > 0) {
      const [node, lists, quotes] = stack.pop()!
      const depth = node.type === 'list' ? lists + 1 : node.type === 'blockquote' ? quotes + 1 : 0
      if (depth > MAX_NESTING) {
        const what = node.type === 'list' ? 'Lists' : 'Block quotes'
        file.fail(`${what} nested ${depth} deep here: at most ${MAX_NESTING} are rendered (flatten the outline)`, {
          ...(node.position ? { place: node.position.start } : {}),
          ruleId: 'deep-nesting',
          source: 'deck',
        })
      }
      if (!('children' in node)) continue
      const next: [number, number] = [node.type === 'list' ? lists + 1 : lists, node.type === 'blockquote' ? quotes + 1 : quotes]
      for (let index = node.children.length - 1; index >= 0; index--) stack.push([node.children[index] as Nodes, ...next])
    }
  }
}

/**
 * Before the deck is parsed: a line that opens more than MAX_NESTING block quotes (`> > > ...`), or
 * whose indentation and list markers (`- - - ...`) reach further than MAX_NESTING lists can, is an
 * error at once. The parser's time grows faster than the depth (5000 quotes take seconds, 2000
 * lists minutes), so such a deck is refused before it is read.
 */
export function checkNestingBeforeParse(file: VFile): void {
  const text = String(file.value)
  let line = 0
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start)
    const stop = end < 0 ? text.length : end
    line++
    const quotes = /^(?:[ \t]*>)+/.exec(text.slice(start, Math.min(stop, start + 64 * MAX_NESTING)))
    if (quotes) {
      let count = 0
      for (let index = 0; index < quotes[0].length; index++) {
        if (quotes[0][index] !== '>') continue
        if (++count > MAX_NESTING) {
          file.fail(`Block quotes nested more than ${MAX_NESTING} deep here: at most ${MAX_NESTING} are rendered (flatten the outline)`, { place: { line, column: index + 1 }, ruleId: 'deep-nesting', source: 'deck' })
        }
      }
    }
    // A list level takes at least two columns (`- `): indentation and markers beyond what
    // MAX_NESTING levels at four columns each take.
    const lead = /^(?:[ \t]|[-+*][ \t]|\d{1,9}[.)][ \t])*/.exec(text.slice(start, Math.min(stop, start + 64 * MAX_NESTING)))?.[0] ?? ''
    const columns = [...lead].reduce((sum, character) => sum + (character === '\t' ? 4 : 1), 0)
    if (columns > 4 * MAX_NESTING && /[-+*\d]/.test(lead)) {
      file.fail(`Lists nested more than ${MAX_NESTING} deep here (indented ${columns} columns): at most ${MAX_NESTING} are rendered (flatten the outline)`, { place: { line, column: 1 }, ruleId: 'deep-nesting', source: 'deck' })
    }
    start = stop + 1
  }
}
