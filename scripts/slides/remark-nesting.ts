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
