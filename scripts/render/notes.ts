/**
 * Speaker notes as the presenter reads them: the Markdown of each slide's `::: notes` (and
 * beamer's `\note{}`) rendered to HTML. Marp's presenter view shows a note's source text
 * (backticks and all); the built HTML (render/marp.ts) and the dev server have this HTML in its place.
 */
import type { Root, RootContent } from 'mdast'
import type { Root as HastRoot } from 'hast'
import { visit } from 'unist-util-visit'
import { toHast } from 'mdast-util-to-hast'
import { toHtml } from 'hast-util-to-html'
import type { Deck } from '../slides/deck-model.ts'
import type { FencedDiv } from '../reader/mdast/fenced-divs.ts'
import { NOTE_ELEMENT } from '../marp/marp-contract.ts'

/** The rendered notes of each slide that has any, by slide index (0-based, as Marp numbers notes). */
export function renderNotes(deck: Deck): Map<number, string> {
  const notes = new Map<number, string>()
  deck.slides.forEach((slide, index) => {
    const parts = collectNotes(slide.body).map((div) => toHtml(safeUrls(toHast({ type: 'root', children: div.children } as Root) as HastRoot)))
    if (parts.length > 0) notes.set(index, parts.join('\n'))
  })
  return notes
}

/**
 * The notes by page of the PDF (0-based, as Marp numbers its pages): every page of a slide's steps
 * carries the slide's notes. `firstPage[i]` is slide i's first page (1-based), of `pages` in all.
 */
export function notesByPage(notes: Map<number, string>, firstPage: number[], pages: number): Map<number, string> {
  const byPage = new Map<number, string>()
  firstPage.forEach((first, slide) => {
    const text = notes.get(slide)
    if (text === undefined) return
    for (let page = first; page < (firstPage[slide + 1] ?? pages + 1); page++) byPage.set(page - 1, text)
  })
  return byPage
}

// What Marp's markdown-it refuses on a slide (its validateLink): these schemes, images' data: aside.
const BAD_SCHEME = /^(vbscript|javascript|file|data):/
const GOOD_DATA = /^data:image\/(gif|png|jpeg|webp);/

/** A link or image whose URL slides refuse (`javascript:`) keeps its text, not its URL. */
export function safeUrls(tree: HastRoot): HastRoot {
  visit(tree, 'element', (element) => {
    for (const name of ['href', 'src', 'action', 'formAction', 'cite', 'poster', 'srcSet']) {
      const value = element.properties[name]
      if (value === undefined || value === null) continue
      // Browsers ignore ASCII whitespace and controls in a URL's scheme (`java\tscript:`).
      const url = String(value).replace(/[\x00-\x20\x7f]/g, '').toLowerCase()
      if (BAD_SCHEME.test(url) && !GOOD_DATA.test(url)) delete element.properties[name]
    }
  })
  return tree
}

/** Notes divs anywhere in a slide's body (inside blocks and columns too, as the build finds them). */
function collectNotes(nodes: RootContent[]): FencedDiv[] {
  const found: FencedDiv[] = []
  for (const node of nodes) {
    if (node.type === 'fencedDiv' && node.attributes.classes.includes('notes')) found.push(node)
    else if ('children' in node && Array.isArray(node.children)) found.push(...collectNotes(node.children as RootContent[]))
  }
  return found
}

/** Replaces the content of Marp's note elements (`<div class="bespoke-marp-note" data-index="N">`). */
export function replaceNotes(html: string, notes: Map<number, string>): string {
  return html.replace(NOTE_ELEMENT, (whole, open: string, index: string, _body: string, close: string) => {
    const rendered = notes.get(Number(index))
    return rendered === undefined ? whole : `${open}${rendered}${close}`
  })
}
