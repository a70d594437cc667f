/**
 * The Frankfurt headline: every section's name with one dot per slide of that section.
 * The current section's name is highlighted and the current slide's dot is filled; names and
 * dots link to their slides (`#N` is Marp's id of page N, in HTML and in the PDF).
 */
import { sectionTarget, type Deck } from './deck-model.ts'
import { escapeHtml } from './escape-html.ts'

export function renderHeadline(deck: Deck, slideIndex: number): string {
  const currentSection = deck.slides[slideIndex]?.section
  const items = deck.sections.map((section, index) => {
    const dots = section.slides
      .map((slide) => `<a class="dot${slide === slideIndex ? ' current' : ''}" href="#${slide + 1}"></a>`)
      .join('')
    const current = index === currentSection ? ' current' : ''
    const name = `<a class="name" href="#${sectionTarget(deck, index)}">${escapeHtml(section.titleText)}</a>`
    return `<li class="nav-section${current}">${name}<span class="dots">${dots}</span></li>`
  })
  return `<nav class="headline"><ul>${items.join('')}</ul></nav>`
}
