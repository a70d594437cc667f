/** The contents slide: one link per section, to its first slide. */
import type { Element } from 'hast'
import { h } from 'hastscript'
import { sectionTarget, type Deck } from './deck-model.ts'

export function tableOfContents(deck: Deck): Element {
  return h(
    'ol.toc',
    deck.sections.map((section, index) => h('li', h('a', { href: `#${sectionTarget(deck, index)}` }, section.titleText))),
  )
}
