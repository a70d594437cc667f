/**
 * The Frankfurt headline: every section's name with one dot per slide of that section.
 * The current section's name is highlighted and the current slide's dot is filled. What each
 * slide carries must not grow with the deck (a lecture has hundreds of slides, each with the
 * whole headline): a section's dots are one element, drawn as one image (render/headline-dots.ts);
 * only the current section's dots are links of their own (in the HTML and the PDF). Names link
 * to their sections (`#N` is Marp's id of page N); in the HTML a click on any dot goes to its
 * slide (render/headline-assets.ts).
 */
import type { Element } from 'hast'
import { h } from 'hastscript'
import { sectionTarget, type Deck } from '../slides/deck-model.ts'
import { htmlOf } from '../core/hast-html.ts'

/** `page`: the page a link to slide N goes to (PDF: after the steps before it). */
export function headline(deck: Deck, slideIndex: number, page: (slide: number) => number = (slide) => slide, skip?: (section: number) => boolean): Element {
  const currentSection = deck.slides[slideIndex]?.section
  const items = deck.sections.map((section, index) => {
    // Written already (headlineHtml): a placeholder.
    if (skip?.(index)) return h('li')
    const current = index === currentSection
    const dots = current ? section.slides.map((slide) => h('a', { className: slide === slideIndex ? ['dot', 'current'] : ['dot'], href: `#${page(slide + 1)}` })) : []
    // A section's slides follow one another: the first one's page is enough to find each dot's.
    const first = section.slides[0]
    const row = first === undefined ? undefined : h('span.dots', { style: `--count: ${section.slides.length}`, dataFirst: first + 1 }, dots)
    const name = h('a.name', { href: `#${page(sectionTarget(deck, index))}` }, section.titleText)
    return h('li', { className: current ? ['nav-section', 'current'] : ['nav-section'], dataSection: index }, [name, row])
  })
  return h('nav.headline', h('ul', items))
}

export function renderHeadline(deck: Deck, slideIndex: number): string {
  return htmlOf(headline(deck, slideIndex))
}

/**
 * The headline as HTML, as htmlOf(headline(...)) writes it. A section's entry is the same on every
 * slide outside it: written once per deck and page numbering, not once per slide (at 1000 slides
 * in 20 sections, 19 of each slide's 20 entries).
 */
export function headlineHtml(deck: Deck, slideIndex: number, page: (slide: number) => number = identity): string {
  let byPage = others.get(deck)
  if (!byPage) others.set(deck, (byPage = new WeakMap()))
  let entries = byPage.get(page)
  if (!entries) byPage.set(page, (entries = new Map()))
  const current = deck.slides[slideIndex]?.section
  const items = headline(deck, slideIndex, page, (index) => index !== current && entries.has(index)).children[0] as Element
  const html = items.children.map((item, index) => {
    if (index === current) return htmlOf(item as Element)
    let entry = entries.get(index)
    if (entry === undefined) entries.set(index, (entry = htmlOf(item as Element)))
    return entry
  })
  return `${NAV_OPEN}${html.join('')}${NAV_CLOSE}`
}

const identity = (slide: number) => slide
const others = new WeakMap<Deck, WeakMap<(slide: number) => number, Map<number, string>>>()
const [NAV_OPEN, NAV_CLOSE] = htmlOf(h('nav.headline', h('ul'))).split('</ul>').map((part, index) => (index === 0 ? part : `</ul>${part}`)) as [string, string]
