import type { Deck } from '../slides/deck-model.ts'

/**
 * The deck's code blocks as Marp's highlighter hook will see them (fence content ends in a
 * newline); console output and lint findings become plain `<pre>` and are never highlighted.
 */
export function codeBlocks(deck: Deck): Array<{ code: string; lang: string }> {
  const blocks: Array<{ code: string; lang: string }> = []
  const walk = (nodes: unknown[]) => {
    for (const node of nodes as Array<{ type: string; lang?: string | null; value?: string; children?: unknown[]; data?: { versions?: Array<{ node: unknown }> } }>) {
      if (node.type === 'code' && node.lang && node.lang !== 'output' && node.lang !== 'lint') blocks.push({ code: node.value ? `${node.value}\n` : '', lang: node.lang })
      if (node.children) walk(node.children)
      // a block that lists versions (marp/build-evolve.ts) shows each
      if (node.data?.versions) walk(node.data.versions.map((version) => version.node))
    }
  }
  for (const slide of deck.slides) walk(slide.body)
  return blocks
}
