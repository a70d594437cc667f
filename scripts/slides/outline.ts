/**
 * The PDF outline of a deck: its sections, each with its titled slides, whether section pages
 * are on (the section opens at its page) or off (at its first slide; an empty section at the
 * next section's). Blocks are never entries. Slides before the first section come first.
 */
import { sectionTarget, type Deck } from './deck-model.ts'

/** An entry of the PDF outline (bookmarks). */
export interface OutlineEntry {
  title: string
  /** 1-based page. */
  page: number
  children: OutlineEntry[]
}

/** `firstPage[i]`: the PDF page of slide i (overlays make slides longer than a page). */
export function deckOutline(deck: Deck, firstPage: number[]): OutlineEntry[] {
  const pageOf = (slide: number) => firstPage[slide] ?? slide + 1
  const entry = (slide: number): OutlineEntry[] => {
    const { titleText, kind } = deck.slides[slide]!
    return kind === 'content' && titleText ? [{ title: titleText, page: pageOf(slide), children: [] }] : []
  }
  const before = deck.slides.flatMap((slide, index) => (slide.section === undefined ? entry(index) : []))
  const sections = deck.sections.map((section, index) => ({
    title: section.titleText,
    page: pageOf(sectionTarget(deck, index) - 1),
    children: section.slides.flatMap(entry),
  }))
  return [...before, ...sections]
}
