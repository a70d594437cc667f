/**
 * The page the dev server serves: the deck's Marp HTML, rendered with its output blocks marked
 * (`data-output-block="ID"`, written with the block in marp/build-code.ts), and the dev client
 * script in `<head>` (it must run before Marp's own script, see client.ts and marp-deck.ts).
 */
import type { Code, Html, RootContent } from 'mdast'
import type { Deck } from '../slides/deck-model.ts'
import { OUTPUT_BLOCK_ATTRIBUTE, outputBlockId } from '../marp/build-code.ts'
import type { OutputOutcome } from '../snippets/outputs.ts'
import type { OutputBlockSpec } from '../snippets/remark-snippets.ts'
import { clientScript, type ClientOptions } from './client.ts'

/** An output block the page can re-run on stage. */
export interface StageBlock extends OutputBlockSpec {
  /**
   * What the block shows (its snippet run and shape), not where it is: a run streaming while a
   * rebuild adds or removes blocks still lands in its own. Blocks that show the same share it.
   */
  id: string
  /** 0-based slide index. */
  slide: number
  /** The stored output as the slide shows it (plain text) and its exit status: a live run is compared with them. */
  stored: { text: string; exit: string }
}

export interface DevPage {
  html: string
  blocks: StageBlock[]
}

export function devPage(marpHtml: string, deck: Deck, client: ClientOptions, outcomes: OutputOutcome[] = []): DevPage {
  const blocks: StageBlock[] = []
  const seen = new Set<string>()
  deck.slides.forEach((slide, index) => {
    for (const node of outputBlocks(slide.body)) {
      const spec = node.data?.snippetOutput
      if (!spec || spec.request.kind !== 'run') continue
      const id = outputBlockId(spec)
      if (seen.has(id) || !marpHtml.includes(`${OUTPUT_BLOCK_ATTRIBUTE}="${id}"`)) continue
      seen.add(id)
      const outcome = outcomes.find((candidate) => JSON.stringify(candidate.request) === JSON.stringify(spec.request))
      const text = node.type === 'code' ? node.value : htmlText(node.value)
      blocks.push({ id, slide: index, request: spec.request, shape: spec.shape, stored: { text, exit: outcome?.stored.exit ?? '?' } })
    }
  })
  const script = `<script>${clientScript(client)}</script>`
  const html = marpHtml.includes('</head>') ? marpHtml.replace('</head>', () => `${script}</head>`) : script + marpHtml
  return { html, blocks }
}

/** The text of a coloured block's HTML (escaped text in colour spans, remark-snippets.ts). */
function htmlText(html: string): string {
  const body = /<code>([\s\S]*)<\/code>/.exec(html)?.[1] ?? ''
  return body
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x?([0-9a-f]+);/gi, (entity, code: string) => String.fromCodePoint(Number.parseInt(code, entity.startsWith('&#x') ? 16 : 10)))
    .replace(/&amp;/g, '&')
    .replace(/\n$/, '')
}

type OutputNode = Code | (Html & { data?: Code['data'] })

/** Output blocks in slide order (coloured ones are HTML already), leaving out notes (they do not show on the slide). */
function outputBlocks(nodes: RootContent[]): OutputNode[] {
  const found: OutputNode[] = []
  for (const node of nodes) {
    if (node.type === 'code' && node.lang === 'output') found.push(node)
    else if (node.type === 'html' && (node.data as Code['data'])?.snippetOutput) found.push(node as OutputNode)
    else if (node.type === 'fencedDiv' && node.attributes.classes.includes('notes')) continue
    else if ('children' in node && Array.isArray(node.children)) found.push(...outputBlocks(node.children as RootContent[]))
  }
  return found
}
