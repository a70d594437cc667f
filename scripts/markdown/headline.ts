/**
 * The Frankfurt headline: every section's name with one dot per slide of that section.
 * The current section's name is highlighted and the current slide's dot is filled. What each
 * slide carries must not grow with the deck (a lecture has hundreds of slides, each with the
 * whole headline): a section's dots are one element, drawn as one image (render/headline-dots.ts);
 * only the current section's dots are links of their own (in the HTML and the PDF). Names link
 * to their sections (`#N` is Marp's id of page N); in the HTML a click on any dot goes to its
 * slide (render/headline-clicks.ts).
 */
import { sectionTarget, type Deck } from './deck-model.ts'
import { escapeHtml } from './escape-html.ts'

export function renderHeadline(deck: Deck, slideIndex: number): string {
  const currentSection = deck.slides[slideIndex]?.section
  const items = deck.sections.map((section, index) => {
    const current = index === currentSection
    const dots = current
      ? section.slides.map((slide) => `<a class="dot${slide === slideIndex ? ' current' : ''}" href="#${slide + 1}"></a>`).join('')
      : ''
    // A section's slides follow one another: the first one's page is enough to find each dot's.
    const first = section.slides[0]
    const row = first === undefined ? '' : `<span class="dots" style="--count: ${section.slides.length}" data-first="${first + 1}">${dots}</span>`
    const name = `<a class="name" href="#${sectionTarget(deck, index)}">${escapeHtml(section.titleText)}</a>`
    return `<li class="nav-section${current ? ' current' : ''}" data-section="${index}">${name}${row}</li>`
  })
  return `<nav class="headline"><ul>${items.join('')}</ul></nav>`
}
