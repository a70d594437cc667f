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
      // The markup deckToMarp writes for a console block (marp-markdown.ts, consoleBlock), with
      // or without the deck line it may carry for the fit check.
      const body = escapeHtml(node.value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      const pattern = new RegExp(`<pre class="console output"((?: data-line="\\d+")?)><code>${body}\n</code></pre>`, 'g')
      pattern.lastIndex = cursor
      const found = pattern.exec(html)
      if (!found) continue
      const id = blocks.length
      const marked = `<pre class="console output"${found[1] ?? ''} data-dev-run="${id}">${found[0].slice(found[0].indexOf('><code>') + 1)}`
      html = html.slice(0, found.index) + marked + html.slice(found.index + found[0].length)
      cursor = found.index + marked.length
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
