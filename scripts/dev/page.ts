/**
 * The page the dev server serves: the deck's Marp HTML with its output blocks marked for run on
 * stage (`data-dev-run="N"`), the speaker notes rendered, and the dev client script in `<head>`
 * (it must run before Marp's own script, see client.ts).
 */
import type { Code, RootContent } from 'mdast'
import type { Deck } from '../markdown/deck-model.ts'
import { escapeHtml } from '../markdown/escape-html.ts'
import type { OutputBlockSpec } from '../markdown/remark-snippets.ts'
import { clientScript, type ClientOptions } from './client.ts'
import { renderNotes, replaceNotes } from './notes.ts'

/** An output block the page can re-run on stage. */
export interface StageBlock extends OutputBlockSpec {
  id: number
  /** 0-based slide index. */
  slide: number
}

export interface DevPage {
  html: string
  blocks: StageBlock[]
}

export function devPage(marpHtml: string, deck: Deck, client: ClientOptions): DevPage {
  const blocks: StageBlock[] = []
  let html = marpHtml
  let cursor = 0
  deck.slides.forEach((slide, index) => {
    for (const node of outputBlocks(slide.body)) {
      const spec = node.data?.snippetOutput
      if (!spec || spec.request.kind !== 'run') continue
      // The exact markup deckToMarp writes for a console block (marp-markdown.ts, consoleBlock).
      const markup = `<pre class="console output"><code>${escapeHtml(node.value)}\n</code></pre>`
      const at = html.indexOf(markup, cursor)
      if (at < 0) continue
      const id = blocks.length
      const marked = markup.replace('<pre class="console output"', `<pre class="console output" data-dev-run="${id}"`)
      html = html.slice(0, at) + marked + html.slice(at + markup.length)
      cursor = at + marked.length
      blocks.push({ id, slide: index, request: spec.request, shape: spec.shape })
    }
  })
  html = replaceNotes(html, renderNotes(deck))
  const script = `<script>${clientScript(client)}</script>`
  html = html.includes('</head>') ? html.replace('</head>', () => `${script}</head>`) : script + html
  return { html, blocks }
}

/** Console blocks in slide order, leaving out notes (they do not show on the slide). */
function outputBlocks(nodes: RootContent[]): Code[] {
  const found: Code[] = []
  for (const node of nodes) {
    if (node.type === 'code' && node.lang === 'output') found.push(node)
    else if (node.type === 'fencedDiv' && node.attributes.classes.includes('notes')) continue
    else if ('children' in node && Array.isArray(node.children)) found.push(...outputBlocks(node.children as RootContent[]))
  }
  return found
}
