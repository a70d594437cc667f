/**
 * Footnotes as beamer shows them: the mark in the text, the note at the foot of the same slide.
 * Numbered through the deck in order of first reference, as pandoc does.
 */
import type { FootnoteDefinition, RootContent } from 'mdast'
import { h } from 'hastscript'
import { htmlNode } from '../core/hast-html.ts'
import type { Deck } from '../slides/deck-model.ts'

export interface SlideFootnotes {
  /** Per slide: the notes to show at its foot, in order. */
  notes: Map<number, Array<{ number: number; definition: FootnoteDefinition }>>
}

/** Takes the definitions out of the slide bodies and turns references into numbered marks. */
export function placeFootnotes(deck: Deck): SlideFootnotes {
  const definitions = new Map<string, FootnoteDefinition>()
  for (const slide of deck.slides) {
    slide.body = slide.body.filter((node) => {
      if (node.type !== 'footnoteDefinition') return true
      definitions.set(node.identifier, node)
      return false
    })
  }
  const numbers = new Map<string, number>()
  const notes = new Map<number, Array<{ number: number; definition: FootnoteDefinition }>>()
  deck.slides.forEach((slide, index) => {
    const walk = (nodes: RootContent[]): void => {
      nodes.forEach((node, at) => {
        if (node.type === 'footnoteReference') {
          const definition = definitions.get(node.identifier)
          if (!definition) return
          let number = numbers.get(node.identifier)
          if (number === undefined) {
            number = numbers.size + 1
            numbers.set(node.identifier, number)
          }
          nodes[at] = htmlNode(h('sup.footnote-mark', String(number)))
          const list = notes.get(index) ?? []
          if (!list.some((note) => note.number === number)) list.push({ number, definition })
          notes.set(index, list)
          return
        }
        if ('children' in node) walk(node.children as RootContent[])
      })
    }
    walk(slide.body)
  })
  return { notes }
}
