/**
 * The page the dev server serves: the deck's Marp HTML with its output blocks marked for run on
 * stage (`data-dev-run="N"`) and the dev client script in `<head>`
 * (it must run before Marp's own script, see client.ts).
 */
import { createHash } from 'node:crypto'
import type { Code, Html, RootContent } from 'mdast'
import type { Deck } from '../slides/deck-model.ts'
import { escapeHtml } from '../core/escape-html.ts'
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
}

export interface DevPage {
  html: string
  blocks: StageBlock[]
}

const OPEN = '<pre class="console output"'

export function devPage(marpHtml: string, deck: Deck, client: ClientOptions): DevPage {
  const blocks: StageBlock[] = []
  // The page in pieces, joined once (the page is large: no copy of it per block).
  const pieces: string[] = []
  let cursor = 0
  deck.slides.forEach((slide, index) => {
    for (const node of outputBlocks(slide.body)) {
      const spec = node.data?.snippetOutput
      if (!spec || spec.request.kind !== 'run') continue
      const at = findBlock(marpHtml, node, cursor)
      if (at < 0) continue
      const id = stageId(spec)
      pieces.push(marpHtml.slice(cursor, at + OPEN.length), ` data-dev-run="${id}"`)
      cursor = at + OPEN.length
      blocks.push({ id, slide: index, request: spec.request, shape: spec.shape })
    }
  })
  pieces.push(marpHtml.slice(cursor))
  let html = pieces.join('')
  const script = `<script>${clientScript(client)}</script>`
  html = html.includes('</head>') ? html.replace('</head>', () => `${script}</head>`) : script + html
  return { html, blocks }
}

export function stageId(spec: OutputBlockSpec): string {
  return createHash('sha256').update(JSON.stringify([spec.request, spec.shape])).digest('hex').slice(0, 16)
}

/**
 * Where the block's markup is in the page, from `from` on: the markup deckToMarp writes for a
 * console block (marp-markdown.ts, consoleBlock: with or without the deck line it may carry for
 * the fit check), or the coloured block's own HTML (remark-snippets.ts). -1: not there.
 */
function findBlock(html: string, node: OutputNode, from: number): number {
  const body = node.type === 'html' ? node.value.slice(OPEN.length) : `><code>${escapeHtml(node.value)}\n</code></pre>`
  for (let at = html.indexOf(OPEN, from); at >= 0; at = html.indexOf(OPEN, at + 1)) {
    const rest = at + OPEN.length
    const line = node.type === 'html' ? '' : (/^ data-line="\d+"/.exec(html.slice(rest, rest + 24))?.[0] ?? '')
    if (html.startsWith(body, rest + line.length)) return at
  }
  return -1
}

type OutputNode = Code | (Html & { data?: Code['data'] })

/** Output blocks in slide order (coloured ones are HTML already), leaving out notes (they do not show on the slide). */
function outputBlocks(nodes: RootContent[]): OutputNode[] {
  const found: OutputNode[] = []
  for (const node of nodes) {
    if (node.type === 'code' && node.lang === 'output') found.push(node)
    else if (node.type === 'html' && (node.data as Code['data'])?.snippetOutput && node.value.startsWith(OPEN)) found.push(node as OutputNode)
    else if (node.type === 'fencedDiv' && node.attributes.classes.includes('notes')) continue
    else if ('children' in node && Array.isArray(node.children)) found.push(...outputBlocks(node.children as RootContent[]))
  }
  return found
}
