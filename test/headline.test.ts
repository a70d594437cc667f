/** What a slide's headline carries grows with the sections, not the slides: one row per section, links only for the current section's dots. */
import { describe, expect, it } from 'vitest'
import { headline, headlineHtml, renderHeadline } from '../scripts/marp/headline.ts'
import { htmlOf } from '../scripts/core/hast-html.ts'
import { DEFAULT_SETTINGS } from '../scripts/reader/settings.ts'
import type { Deck } from '../scripts/slides/deck-model.ts'
import { headlineStyle } from '../scripts/render/headline-dots.ts'

function deckOf(sections: number, perSection: number): Deck {
  const deck: Deck = { settings: { ...DEFAULT_SETTINGS, author: [] }, slideLevel: 2, sections: [], slides: [] }
  for (let s = 0; s < sections; s++) {
    deck.sections.push({ title: [], titleText: `Section ${s + 1}`, slides: [] })
    for (let i = 0; i < perSection; i++) {
      deck.sections[s]!.slides.push(deck.slides.length)
      deck.slides.push({ kind: 'content', title: [], titleText: `Slide ${deck.slides.length + 1}`, section: s, body: [], classes: [] })
    }
  }
  return deck
}

describe('headline size', () => {
  it('grows by one link per section, not per slide: only the current section\'s dots are links', () => {
    const small = renderHeadline(deckOf(2, 50), 60)
    const large = renderHeadline(deckOf(20, 50), 60)
    const links = (html: string) => html.match(/<a /g)?.length ?? 0
    // section names plus the current section's 50 dots: ten times the slides, 18 more links (not 900)
    expect(links(small)).toBe(2 + 50)
    expect(links(large)).toBe(20 + 50)
    expect(large).toContain('<span class="dots" style="--count: 50" data-first="1"></span>')
  })

  it('writes from its cached pieces what the whole headline writes, on every slide and with pages', () => {
    const deck = deckOf(3, 4)
    deck.sections.push({ title: [], titleText: 'Empty', slides: [] })
    const page = (slide: number) => slide * 2 + 1
    for (let slide = 0; slide < deck.slides.length; slide++) {
      expect(headlineHtml(deck, slide)).toBe(renderHeadline(deck, slide))
      expect(headlineHtml(deck, slide, page)).toBe(htmlOf(headline(deck, slide, page)))
    }
  })

  it('draws each section\'s row as one image per colour, once for the deck', () => {
    const css = 'section { --head-fg-dim: #808080; --dot: #ffffff; }\nsection.crane { --head-fg-dim: #806029; --dot: #04064c; }\nnav.headline { --dot-size: calc(1.2 * var(--mm)); --dot-gap: calc(0.2 * var(--mm)); }'
    const style = headlineStyle(css, 'crane', [10, 0, 3])
    expect(style.match(/data:image\/png/g)).toHaveLength(1 + 2 * 2)
    expect(style).toContain('li[data-section="0"]')
    expect(style).not.toContain('li[data-section="1"]')
  })
})
