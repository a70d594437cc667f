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
export function headline(deck: Deck, slideIndex: number, page: (slide: number) => number = (slide) => slide): Element {
  const currentSection = deck.slides[slideIndex]?.section
  const items = deck.sections.map((_, index) => sectionEntry(deck, index, index === currentSection ? slideIndex : undefined, page))
  return h('nav.headline', h('ul', items))
}

/** One section's entry; `currentSlide` (a slide of it) makes it the current section, with its dots. */
function sectionEntry(deck: Deck, index: number, currentSlide: number | undefined, page: (slide: number) => number): Element {
  const section = deck.sections[index]!
  const current = currentSlide !== undefined
  const dots = current ? section.slides.map((slide) => dot(slide, slide === currentSlide, page)) : []
  // A section's slides follow one another: the first one's page is enough to find each dot's.
  const first = section.slides[0]
  const row = first === undefined ? undefined : h('span.dots', { style: `--count: ${section.slides.length}`, dataFirst: first + 1 }, dots)
  const name = h('a.name', { href: `#${page(sectionTarget(deck, index))}` }, section.titleText)
  return h('li', { className: current ? ['nav-section', 'current'] : ['nav-section'], dataSection: index }, [name, row])
}

function dot(slide: number, current: boolean, page: (slide: number) => number): Element {
  return h('a', { className: current ? ['dot', 'current'] : ['dot'], href: `#${page(slide + 1)}` })
}

export function renderHeadline(deck: Deck, slideIndex: number): string {
  return htmlOf(headline(deck, slideIndex))
}

/**
 * The headline as HTML, as htmlOf(headline(...)) writes it, from pieces written once per deck and
 * page numbering, not once per slide: a section's entry as the slides outside it show it, and the
 * current section's entry as its tags around its dots, each dot written once (at 1000 slides in
 * 20 sections, 19 of each slide's 20 entries and 49 of its 50 dots).
 */
export function headlineHtml(deck: Deck, slideIndex: number, page: (slide: number) => number = identity): string {
  let byPage = pieces.get(deck)
  if (!byPage) pieces.set(deck, (byPage = new WeakMap()))
  let written = byPage.get(page)
  if (!written) byPage.set(page, (written = writePieces(deck, page)))
  const current = deck.slides[slideIndex]?.section
  const html = written.others.map((entry, index) => {
    if (index !== current) return entry
    const { open, close, dots } = written.current[index]!
    return `${open}${dots.map((plain, at) => (deck.sections[index]!.slides[at] === slideIndex ? htmlOf(dot(slideIndex, true, page)) : plain)).join('')}${close}`
  })
  return `${NAV_OPEN}${html.join('')}${NAV_CLOSE}`
}

interface HeadlinePieces {
  /** Each section's entry on the slides outside it. */
  others: string[]
  /** Each section's entry on its own slides: its tags around its dots, and each dot not current. */
  current: Array<{ open: string; close: string; dots: string[] }>
}

function writePieces(deck: Deck, page: (slide: number) => number): HeadlinePieces {
  const others = deck.sections.map((_, index) => htmlOf(sectionEntry(deck, index, undefined, page)))
  const current = deck.sections.map((section, index) => {
    const first = section.slides[0]
    if (first === undefined) return { open: others[index]!, close: '', dots: [] }
    // The entry with a marker for its dots, cut there (as wrapperTags in core/hast-html.ts).
    const entry = sectionEntry(deck, index, first, page)
    const row = entry.children[1] as Element
    row.children = [{ type: 'comment', value: DOTS }]
    const [open, close] = htmlOf(entry).split(`<!--${DOTS}-->`) as [string, string]
    return { open, close, dots: section.slides.map((slide) => htmlOf(dot(slide, false, page))) }
  })
  return { others, current }
}

/**
 * The headline is written into the Marp Markdown as a stand-in, filled in after Marp (fillHeadlines):
 * at 1000 slides the headlines were 4.7 of the Markdown's 5 MB, and Marp parsed and filtered each
 * as raw HTML (0.4 s of its 2 s render), to write it out unchanged.
 */
export function headlineStandIn(index: number): string {
  return `<nav class="headline" data-deck-headline="${index}"></nav>`
}

/** Marp's output (or its Markdown) with each stand-in replaced by its headline. */
export function fillHeadlines(text: string, headlines: readonly string[]): string {
  return headlines.length === 0 ? text : text.replace(STAND_IN, (whole, index: string) => headlines[Number(index)] ?? whole)
}

const STAND_IN = /<nav class="headline" data-deck-headline="(\d+)"><\/nav>/g
const DOTS = 'headline dots'
const identity = (slide: number) => slide
const pieces = new WeakMap<Deck, WeakMap<(slide: number) => number, HeadlinePieces>>()
const [NAV_OPEN, NAV_CLOSE] = htmlOf(h('nav.headline', h('ul'))).split('</ul>').map((part, index) => (index === 0 ? part : `</ul>${part}`)) as [string, string]
