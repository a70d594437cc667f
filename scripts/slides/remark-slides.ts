/**
 * remark plugin: cuts the document into sections and slides the way pandoc's beamer writer does,
 * and stores the result on `file.data.deck`.
 * - headings above the slide level are sections (the top-most such level feeds the headline);
 * - a heading at the slide level starts a slide; content with no slide heading starts an untitled one;
 * - a horizontal rule starts a new untitled slide;
 * - headings below the slide level stay in the body (they become blocks when rendered);
 * - the title slide comes from the front matter, `toc: true` adds a contents slide, and
 *   `section-titles` (default true) adds a slide per section.
 */
import type { Heading, PhrasingContent, Root, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { toString } from 'mdast-util-to-string'
import { DEFAULT_SETTINGS, type DeckSettings } from '../reader/settings.ts'
import '../reader/remark-deck-settings.ts'
import type { Deck, Section, Slide } from './deck-model.ts'

export default function remarkSlides() {
  return (tree: Root, file: VFile): void => {
    const settings = file.data.settings ?? { ...DEFAULT_SETTINGS, author: [] }
    const children = tree.children.filter((node) => node.type !== 'yaml')
    file.data.deck = buildDeck(children, settings)
  }
}

export function buildDeck(children: RootContent[], settings: DeckSettings): Deck {
  const slideLevel = settings.slideLevel ?? defaultSlideLevel(children)
  const headingDepths = children.filter((n): n is Heading => n.type === 'heading' && n.depth < slideLevel).map((n) => n.depth)
  const navDepth = headingDepths.length > 0 ? Math.min(...headingDepths) : undefined
  const deck: Deck = { settings, slideLevel, sections: [], slides: [] }
  let current = undefined as Slide | undefined

  const addSlide = (slide: Slide) => {
    deck.slides.push(slide)
    if (slide.section !== undefined) deck.sections[slide.section]?.slides.push(deck.slides.length - 1)
    current = slide
  }
  const sectionIndex = () => (deck.sections.length > 0 ? deck.sections.length - 1 : undefined)

  if (settings.title !== undefined) addSlide(emptySlide('title', [], undefined))
  if (settings.toc) addSlide(emptySlide('toc', [], undefined))
  current = undefined

  for (const node of children) {
    if (node.type === 'heading' && node.depth < slideLevel) {
      current = undefined
      const classes = node.data?.attributes?.classes ?? []
      if (node.depth === navDepth) {
        const section: Section = { title: node.children, titleText: toString(node), slides: [], ...pos(node) }
        deck.sections.push(section)
      }
      if (settings.sectionTitles && node.children.length > 0) {
        addSlide({ ...emptySlide('section', node.children, sectionIndex()), classes, ...pos(node) })
        current = undefined
      }
      continue
    }
    if (node.type === 'heading' && node.depth === slideLevel) {
      addSlide({
        ...emptySlide('content', node.children, sectionIndex()),
        classes: node.data?.attributes?.classes ?? [],
        ...pos(node),
      })
      continue
    }
    if (node.type === 'thematicBreak') {
      current = undefined
      continue
    }
    const open = current as Slide | undefined
    if (open?.kind === 'content') open.body.push(node)
    else addSlide({ ...emptySlide('content', [], sectionIndex()), body: [node], ...pos(node) })
  }
  return deck
}

function emptySlide(kind: Slide['kind'], title: PhrasingContent[], section: number | undefined): Slide {
  return {
    kind,
    title,
    titleText: title.map((node) => toString(node)).join(''),
    body: [],
    classes: [],
    ...(section !== undefined ? { section } : {}),
  }
}

function pos(node: RootContent): { position: NonNullable<Slide['position']> } | Record<string, never> {
  return node.position ? { position: node.position } : {}
}

/** pandoc: the highest heading level that is followed immediately by content somewhere. */
export function defaultSlideLevel(children: RootContent[]): number {
  let level = Number.POSITIVE_INFINITY
  children.forEach((node, index) => {
    const next = children[index + 1]
    if (node.type === 'heading' && next && next.type !== 'heading') level = Math.min(level, node.depth)
  })
  return Number.isFinite(level) ? level : 1
}
