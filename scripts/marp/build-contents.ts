/** The contents slide: one link per section, to its first slide. */
import type { Element } from 'hast'
import { h } from 'hastscript'
import { sectionTarget, type Deck } from '../slides/deck-model.ts'

/** `page`: the page a link to slide N goes to (PDF: after the steps before it). */
export function tableOfContents(deck: Deck, page: (slide: number) => number = (slide) => slide): Element {
  return h(
    'ol.toc',
    deck.sections.map((section, index) => h('li', h('a', { href: `#${page(sectionTarget(deck, index))}` }, section.titleText))),
  )
}
