/** The slide model shared by the stages after parsing (stored on `file.data.deck`). */
import type { PhrasingContent, RootContent } from 'mdast'
import type { Position } from 'unist'
import type { DeckSettings } from '../reader/settings.ts'

export interface Section {
  title: PhrasingContent[]
  titleText: string
  /** Indexes into `Deck.slides` of the slides that belong to this section (one dot each). */
  slides: number[]
  position?: Position
}

export type SlideKind = 'title' | 'toc' | 'section' | 'content'

export interface Slide {
  kind: SlideKind
  title: PhrasingContent[]
  titleText: string
  /** Index into `Deck.sections`; undefined before the first section. */
  section?: number
  body: RootContent[]
  /** pandoc heading classes, e.g. `plain`. */
  classes: string[]
  position?: Position
}

export interface Deck {
  settings: DeckSettings
  /** The heading level of slides (pandoc's `slide-level`). */
  slideLevel: number
  sections: Section[]
  slides: Slide[]
}

declare module 'vfile' {
  interface DataMap {
    deck: Deck
  }
}

/** The page (1-based) a section links to: its first slide, or the next section's for an empty one. */
export function sectionTarget(deck: Deck, sectionIndex: number): number {
  for (let index = sectionIndex; index < deck.sections.length; index++) {
    const first = deck.sections[index]?.slides[0]
    if (first !== undefined) return first + 1
  }
  return deck.slides.length
}
