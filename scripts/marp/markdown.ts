/**
 * Writes the slide model as Marp Markdown: one `---`-separated slide per slide (in the PDF one
 * per step, as beamer's overlays give one page per step), with the structure pandoc expresses
 * with divs and headings (columns, blocks, figures, the headline, the title page, the contents)
 * as HTML wrappers around ordinary Markdown, so that Marp still renders tables, lists and code
 * (and auto-scales code) itself. Each construct has its builder (build-*.ts, headline.ts), which
 * makes hast; this module walks the slides and puts them in order.
 */
import type { Element } from 'hast'
import type { Code, Heading, Html, Paragraph, PhrasingContent, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { h } from 'hastscript'
import type { Deck, Slide } from '../slides/deck-model.ts'
import { htmlNode, htmlOf, wrap, wrapperTags } from '../core/hast-html.ts'
import { marpFrontMatter } from './front-matter.ts'
import { newOverlay, pause, type Overlay } from './overlay.ts'
import { stringify } from './stringify.ts'
import { fillHeadlines, headlineHtml, headlineStandIn } from './headline.ts'
import { titlePage } from './build-title-page.ts'
import { tableOfContents } from './build-contents.ts'
import { blockElement, blockTitle } from './build-block.ts'
import { divElement } from './build-div.ts'
import { quotedList, steppedLists, stillLists } from './build-incremental.ts'
import { codeBlock, consoleBlock, markColouredOutput } from './build-code.ts'
import { evolveBlock } from './build-evolve.ts'
import { highlightStepStyle } from './code-display.ts'
import { figure, figureImage, imageElement } from './build-image.ts'
import { markLine } from './source-line.ts'
import { placeFootnotes, type SlideFootnotes } from './footnotes.ts'
import { markSentenceSpaces } from './sentence-spaces.ts'

export interface MarpOptions {
  /**
   * `html` (default): steps (pauses, incremental lists, highlighted lines) are fragments of one
   * slide. `pdf`: one slide per step, as beamer's overlays give one page per step.
   */
  target?: 'html' | 'pdf'
  /** PDF: only each slide's final state (beamer's handout mode). */
  handout?: boolean
  /** Where errors at a position of the deck go (a bad `highlight` attribute). */
  file?: VFile
  /** Output blocks of snippet runs carry their id (`data-output-block`, build-code.ts): the dev server's run on stage. */
  markOutputs?: boolean
}

export interface MarpDeck {
  /** With a stand-in for each headline (marp/headline.ts): render them with `headlines`. */
  markdown: string
  /** The headlines the stand-ins of `markdown` stand for. */
  headlines: string[]
  /** Per slide of the model, the number of its first page (PDF: after the steps before it). */
  firstPage: number[]
  pages: number
}

/** The Marp Markdown with its headlines written in. */
export function deckToMarp(source: Deck, options: MarpOptions = {}): string {
  const { markdown, headlines } = deckToMarpPages(source, options)
  return fillHeadlines(markdown, headlines)
}

export function deckToMarpPages(source: Deck, options: MarpOptions = {}): MarpDeck {
  // Footnotes move between slides: work on a copy, the model stays as parsed.
  const deck = structuredClone(source)
  const pdf = options.target === 'pdf'
  const context: Context = { deck, figures: 0, footnotes: placeFootnotes(deck), overlay: newOverlay(pdf, Infinity), file: options.file, page: (slide) => slide, styles: new Set(), incremental: false, markOutputs: options.markOutputs ?? false, headlines: [] }
  // Pass 1 (PDF): how many steps each slide has, so that links can name pages.
  const figures = context.figures
  const finalStates: string[] = []
  const steps = deck.slides.map((slide, index) => {
    if (!pdf) return 1
    context.overlay = newOverlay(true, Infinity)
    finalStates.push(slideToMarp(slide, index, context))
    return options.handout ? 1 : context.overlay.last
  })
  const firstPage: number[] = []
  steps.reduce((page, count, index) => ((firstPage[index] = page), page + count), 1)
  // A page per slide (no steps, or a handout): pass 1 wrote the pages already. Links to slide N
  // go to page N as in pass 1, and a slide of one step shows at step 1 what it shows at the end.
  if (pdf && steps.every((count) => count === 1)) return deckOf(deck, context, finalStates, firstPage)
  context.figures = figures
  context.headlines = []
  // Links to slides (the headline, the contents) name pages of the PDF.
  if (pdf) context.page = (slide) => firstPage[slide - 1] ?? slide
  const slides = deck.slides.flatMap((slide, index) => {
    const figures = context.figures
    return Array.from({ length: steps[index]! }, (_, step) => {
      context.figures = figures
      context.overlay = newOverlay(pdf, options.handout ? Infinity : step + 1)
      return slideToMarp(slide, index, context, step === 0)
    })
  })
  return deckOf(deck, context, slides, firstPage)
}

function deckOf(deck: Deck, context: Context, slides: string[], firstPage: number[]): MarpDeck {
  // The steps' rules hold for every slide: one global style (a scoped one would carry a random key).
  const style = context.styles.size > 0 ? `${htmlOf(h('style', [...context.styles].join('\n')))}\n\n` : ''
  return { markdown: `${marpFrontMatter(deck)}\n${style}${slides.join('\n\n---\n\n')}\n`, headlines: context.headlines, firstPage, pages: slides.length }
}

interface Context {
  deck: Deck
  /** Figures so far (numbered through the deck). */
  figures: number
  footnotes: SlideFootnotes
  overlay: Overlay
  file: VFile | undefined
  /** The page a link to slide N (1-based, Marp's `#N`) goes to. */
  page: (slide: number) => number
  /** CSS the steps need, for the whole deck. */
  styles: Set<string>
  /** Inside an `::: incremental` div (pandoc's incremental state). */
  incremental: boolean
  markOutputs: boolean
  /** The headlines written so far, by their stand-in's number. */
  headlines: string[]
}

function slideToMarp(slide: Slide, index: number, context: Context, withNotes = true): string {
  const { deck } = context
  const classes = [deck.settings.colortheme, slideClass(slide), ...slide.classes.filter((name) => name === 'plain')]
  const parts: string[] = [`<!-- _class: ${classes.join(' ')} -->`]
  if (!slide.classes.includes('plain')) parts.push(headlineStandIn(context.headlines.push(headlineHtml(deck, index, context.page)) - 1))
  if (deck.settings.logo && slide.kind !== 'title') parts.push(htmlOf(h('img.logo', { src: deck.settings.logo, alt: '' })))
  const notes: string[] = []
  const nodes: RootContent[] = []

  // Title and section pages sit between vertical fills, as beamer centres them.
  const centred = (content: RootContent[]) => [htmlNode(h('div.vfill-above')), ...content, htmlNode(h('div.vfill-below'))]
  if (slide.kind === 'title') nodes.push(...centred([htmlNode(titlePage(deck))]))
  else if (slide.kind === 'toc') nodes.push(htmlNode(tableOfContents(deck, context.page)))
  else if (slide.kind === 'section') nodes.push(...centred([htmlNode(h('div.section-page', slide.titleText))]))
  else {
    // The first slide of a section carries the section as a hidden h1, for the PDF outline.
    const section = slide.section !== undefined ? deck.sections[slide.section] : undefined
    if (section && section.slides[0] === index) nodes.push({ type: 'heading', depth: 1, children: section.title } as Heading)
    if (slide.title.length > 0) nodes.push({ type: 'heading', depth: 2, children: slide.title } as Heading)
    nodes.push(...centred(wrap(h('div.frame-body'), flow(slide.body, context, notes))))
    const footnotes = context.footnotes.notes.get(index)
    if (footnotes) {
      const list = footnotes.flatMap(({ number, definition }) => wrap(h('div.footnote', h('sup', String(number))), flow(definition.children as RootContent[], context, notes)))
      nodes.push(...wrap(h('div.footnotes'), list))
    }
  }

  // HTML: highlighted lines step by step, for as many steps as the slide's code has.
  if (context.overlay.highlightSteps > 1) context.styles.add(highlightStepStyle(context.overlay.highlightSteps))
  parts.push(stringify(nodes))
  if (notes.length > 0 && withNotes) parts.push(`<!--\n${notes.join('\n\n').replace(/--/g, '‐‐')}\n-->`)
  return parts.join('\n\n')
}

function slideClass(slide: Slide): string {
  if (slide.kind === 'title') return 'titlepage'
  if (slide.kind === 'toc') return 'toc'
  if (slide.kind === 'section') return 'section-slide'
  return slide.title.length > 0 ? 'frame' : 'frame untitled'
}

/**
 * Converts a list of block nodes, grouping headings below the slide level into blocks. A pause
 * hides what follows it, up to the end of its block or container, until the next step: a wrapper
 * that Marp's bespoke template steps through as a fragment (PDF: invisible until its page, as
 * beamer's \pause keeps the place).
 */
function flow(nodes: RootContent[], context: Context, notes: string[]): RootContent[] {
  const out: RootContent[] = []
  /** Closing tags still to write: of the open block (and the pauses in it), of pauses outside it. */
  let block: string[] | undefined
  const outside: string[] = []
  let blockDepth: number | undefined
  const closeBlock = () => {
    if (block) out.push(...block.reverse().map((tag): RootContent => ({ type: 'html', value: tag })))
    block = undefined
    blockDepth = undefined
  }
  const open = (element: Element, closings: string[]) => {
    const [openTag, closeTag] = wrapperTags(element)
    out.push({ type: 'html', value: openTag })
    closings.push(closeTag)
  }
  for (const node of nodes) {
    if (node.type === 'pause') {
      const shown = pause(context.overlay)
      const wrapper = context.overlay.pdf
        ? h('div', { className: ['after-pause', ...(shown ? [] : ['overlay-hidden'])] })
        : h('div.after-pause', { dataMarpitFragment: true })
      open(wrapper, block ?? outside)
      continue
    }
    if (node.type === 'heading' && node.depth > context.deck.slideLevel) {
      if (blockDepth !== undefined && node.depth > blockDepth) {
        out.push({ ...node, depth: 4 })
        continue
      }
      closeBlock()
      blockDepth = node.depth
      block = []
      open(blockElement(node), block)
      const title = blockTitle(node)
      if (title) out.push(title)
      continue
    }
    if (node.type === 'fencedDiv') {
      if (node.attributes.classes.includes('notes')) {
        notes.push(stringify(node.children).trim())
        continue
      }
      // pandoc ends an open block at a columns layout; other divs stay inside it.
      if (node.attributes.classes.includes('columns') && blockDepth !== undefined) closeBlock()
      const { classes } = node.attributes
      const outer = context.incremental
      context.incremental = classes.includes('incremental') || (outer && !classes.includes('nonincremental'))
      const body = flow(node.children as RootContent[], context, notes)
      context.incremental = outer
      if (classes.includes('incremental')) out.push(...wrap(divElement(node), steppedLists(body, context.overlay, context.styles)))
      else if (classes.includes('nonincremental')) out.push(...wrap(divElement(node), stillLists(body)))
      else out.push(...wrap(divElement(node), body))
      continue
    }
    const quoted = quotedList(node)
    if (quoted) {
      const list = leaf(quoted, context)
      out.push(...(context.incremental ? stillLists(list) : steppedLists(list, context.overlay, context.styles)))
      continue
    }
    out.push(...leaf(node, context))
  }
  closeBlock()
  out.push(...outside.reverse().map((tag): RootContent => ({ type: 'html', value: tag })))
  return out
}

function leaf(node: RootContent, context: Context): RootContent[] {
  const versions = (node.type === 'code' || node.type === 'html') && (node.data as Code['data'])?.versions
  if (versions) return evolveBlock(node as Code | Html, versions, context.overlay, context.styles, context.file)
  if (node.type === 'code') return [consoleBlock(node, context.markOutputs) ?? markLine(codeBlock(node, context.overlay, context.file))]
  if (node.type === 'html' && context.markOutputs) return [markLine(markColouredOutput(node))]
  if (node.type === 'paragraph') {
    const image = figureImage(node)
    if (image) return [htmlNode(figure(node, image, ++context.figures))]
    return [markLine(markSentenceSpaces({ ...node, children: node.children.map(imageToHtml) } as Paragraph))]
  }
  if (node.type === 'list' || node.type === 'blockquote' || node.type === 'listItem' || node.type === 'table' || node.type === 'defList' || node.type === 'lineBlock') {
    return [markLine(markSentenceSpaces(mapImages(node)))]
  }
  return [markLine(node)]
}

function mapImages<T extends RootContent>(node: T): T {
  if (node.type === 'image') return imageToHtml(node) as T
  if ('children' in node) return { ...node, children: (node.children as RootContent[]).map((child) => mapImages(child)) } as T
  return node
}

function imageToHtml(node: PhrasingContent): PhrasingContent {
  return node.type === 'image' ? (htmlNode(imageElement(node)) as PhrasingContent) : node
}

