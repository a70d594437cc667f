/**
 * Writes the slide model as Marp Markdown: one `---`-separated slide per slide, with the
 * structure pandoc expresses with divs and headings (columns, blocks, figures, the headline,
 * the title page, the contents) as HTML wrappers around ordinary Markdown, so that Marp still
 * renders tables, lists and code (and auto-scales code) itself.
 */
import type { Code, Heading, Html, Image, List, Paragraph, Parents, PhrasingContent, Root, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { codeDisplay, formatCodeInfo, type CodeDisplay } from './code-display.ts'
import { toMarkdown, type Handle } from 'mdast-util-to-markdown'
import { gfmToMarkdown } from 'mdast-util-gfm'
import type { FencedDiv } from './mdast-fenced-divs.ts'
import type { LineBlock } from './remark-line-block.ts'
import type { PandocSpan } from './remark-pandoc-spans.ts'
import type { Attributes } from './attributes.ts'
import { sectionTarget, type Deck, type Slide } from './deck-model.ts'
import { escapeHtml } from './escape-html.ts'
import { PAUSE_MARKER } from './remark-raw-tex.ts'
import { ASPECT_RATIOS } from '../config.ts'
import { replaceTexCommands } from './tex-commands.ts'
import { renderHeadline } from './headline.ts'
import { placeFootnotes, type SlideFootnotes } from './footnotes.ts'
import { markSentenceSpaces } from './sentence-spaces.ts'

const html = (value: string): Html => ({ type: 'html', value })

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
}

export interface MarpDeck {
  markdown: string
  /** Per slide of the model, the number of its first page (PDF: after the steps before it). */
  firstPage: number[]
  pages: number
}

export function deckToMarp(source: Deck, options: MarpOptions = {}): string {
  return deckToMarpPages(source, options).markdown
}

export function deckToMarpPages(source: Deck, options: MarpOptions = {}): MarpDeck {
  // Footnotes move between slides: work on a copy, the model stays as parsed.
  const deck = structuredClone(source)
  const pdf = options.target === 'pdf'
  const context: Context = { deck, figures: 0, footnotes: placeFootnotes(deck), overlay: newOverlay(pdf, Infinity), options }
  // Pass 1 (PDF): how many steps each slide has, so that links can name pages.
  const steps = deck.slides.map((slide, index) => {
    if (!pdf) return 1
    const figures = context.figures
    context.overlay = newOverlay(true, Infinity)
    slideToMarp(slide, index, context)
    context.figures = figures
    return options.handout ? 1 : context.overlay.last
  })
  const firstPage: number[] = []
  steps.reduce((page, count, index) => ((firstPage[index] = page), page + count), 1)
  const slides = deck.slides.flatMap((slide, index) => {
    const figures = context.figures
    return Array.from({ length: steps[index]! }, (_, step) => {
      context.figures = figures
      context.overlay = newOverlay(pdf, options.handout ? Infinity : step + 1)
      const markdown = slideToMarp(slide, index, context, step === 0)
      // Links to slides (`#N`, the headline, the contents) name pages of the PDF.
      return pdf ? markdown.replace(/href="#(\d+)"/g, (whole, n: string) => (firstPage[Number(n) - 1] ? `href="#${firstPage[Number(n) - 1]}"` : whole)) : markdown
    })
  })
  return { markdown: `${frontMatter(deck)}\n${slides.join('\n\n---\n\n')}\n`, firstPage, pages: slides.length }
}

interface Context {
  deck: Deck
  figures: number
  footnotes: SlideFootnotes
  overlay: Overlay
  options: MarpOptions
}

/**
 * beamer's overlay counting: `counter` is the step new content appears on (beamer's pauses
 * counter), `last` the slide's last step; `step` the step a PDF page shows.
 */
interface Overlay {
  pdf: boolean
  step: number
  counter: number
  last: number
  /** Incremental lists so far on the slide (names for their scoped styles). */
  lists: number
}

function newOverlay(pdf: boolean, step: number): Overlay {
  return { pdf, step, counter: 1, last: 1, lists: 0 }
}

/** Content that takes `count` steps from the current one: returns how many show on this page. */
function takeSteps(overlay: Overlay, count: number): number {
  const first = overlay.counter
  overlay.counter += Math.max(0, count - 1)
  overlay.last = Math.max(overlay.last, overlay.counter)
  return Math.min(count, Math.max(0, overlay.step - first + 1))
}

function frontMatter(deck: Deck): string {
  const { settings } = deck
  const size = ASPECT_RATIOS[settings.aspectratio] ?? ASPECT_RATIOS['169']!
  // beamer's sizes are physical (160 x 90 mm at 16:9, 128 x 96 mm at 4:3): px per mm from the paper.
  const mm = size.height / size.paperHeightMm
  const fonts = [
    settings.mainfont ? `--main-font: ${JSON.stringify(settings.mainfont)}, 'Fira Sans', sans-serif;` : '',
    settings.monofont ? `--mono-font: ${JSON.stringify(settings.monofont)}, 'Fira Mono', monospace;` : '',
    // pandoc colours internal links Maroon only when urlcolor (or linkcolor) is given; otherwise
    // hidelinks, and the headline and contents keep the theme's colours.
    settings.urlcolor ? `--url-color: ${settings.urlcolor}; --link: #800000;` : '',
  ].join(' ')
  // beamer's \textheight is the paper height less 7.2 mm (82.8 mm at 16:9).
  const textHeight = size.height - 7.2 * mm
  const style = `section { --mm: ${mm.toFixed(4)}px; --pt: ${(mm * 0.35146).toFixed(4)}px; --fs: ${settings.fontsize}; --text-height: ${textHeight.toFixed(1)}px; ${fonts}}`
  return ['---', 'marp: true', 'theme: frankfurt', `size: ${size.name}`, `lang: ${JSON.stringify(settings.lang)}`, `title: ${JSON.stringify(settings.title ?? '')}`, `style: ${JSON.stringify(style)}`, '---', ''].join('\n')
}

function slideToMarp(slide: Slide, index: number, context: Context, withNotes = true): string {
  const { deck } = context
  const classes = [deck.settings.colortheme, slideClass(slide), ...slide.classes.filter((name) => name === 'plain')]
  const parts: string[] = [`<!-- _class: ${classes.join(' ')} -->`]
  if (!slide.classes.includes('plain')) parts.push(renderHeadline(deck, index))
  if (deck.settings.logo && slide.kind !== 'title') parts.push(`<img class="logo" src="${escapeHtml(deck.settings.logo)}" alt="">`)
  const notes: string[] = []
  const nodes: RootContent[] = []

  const above = html('<div class="vfill-above"></div>')
  const below = html('<div class="vfill-below"></div>')
  if (slide.kind === 'title') nodes.push(above, html(titlePage(deck)), below)
  else if (slide.kind === 'toc') nodes.push(html(tableOfContents(deck)))
  else if (slide.kind === 'section') {
    nodes.push(above, html(`<div class="section-page">${escapeHtml(slide.titleText)}</div>`), below)
  } else {
    // The first slide of a section carries the section as a hidden h1, for the PDF outline.
    const section = slide.section !== undefined ? deck.sections[slide.section] : undefined
    if (section && section.slides[0] === index) nodes.push({ type: 'heading', depth: 1, children: section.title } as Heading)
    if (slide.title.length > 0) nodes.push({ type: 'heading', depth: 2, children: slide.title } as Heading)
    nodes.push(above, html('<div class="frame-body">'))
    nodes.push(...flow(slide.body, context, notes))
    nodes.push(html('</div>'), below)
    const footnotes = context.footnotes.notes.get(index)
    if (footnotes) {
      nodes.push(html('<div class="footnotes">'))
      for (const { number, definition } of footnotes) {
        nodes.push(html(`<div class="footnote"><sup>${number}</sup>`), ...flow(definition.children as RootContent[], context, notes), html('</div>'))
      }
      nodes.push(html('</div>'))
    }
  }

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

/** Converts a list of block nodes, grouping headings below the slide level into blocks. */
function flow(nodes: RootContent[], context: Context, notes: string[]): RootContent[] {
  const out: RootContent[] = []
  let blockDepth: number | undefined
  // A pause (`. . .`) hides what follows it, up to the end of its block or container, until the
  // next step: a wrapper that Marp's bespoke template steps through as a fragment.
  const pauses = { outside: 0, inBlock: 0 }
  const close = (count: number) => {
    for (let i = 0; i < count; i++) out.push(html('</div>'))
  }
  const closeBlock = () => {
    close(pauses.inBlock)
    pauses.inBlock = 0
    if (blockDepth !== undefined) out.push(html('</div>'))
    blockDepth = undefined
  }
  for (const node of nodes) {
    if (node.type === 'html' && node.value === PAUSE_MARKER) {
      const { overlay } = context
      overlay.counter++
      overlay.last = Math.max(overlay.last, overlay.counter)
      // PDF: what is not shown yet keeps its place, invisible (beamer's \pause).
      if (!overlay.pdf) out.push(html('<div class="after-pause" data-marpit-fragment>'))
      else out.push(html(`<div class="after-pause${overlay.counter > overlay.step ? ' overlay-hidden' : ''}">`))
      if (blockDepth !== undefined) pauses.inBlock++
      else pauses.outside++
      continue
    }
    if (node.type === 'heading' && node.depth > context.deck.slideLevel) {
      if (blockDepth !== undefined && node.depth > blockDepth) {
        out.push({ ...node, depth: 4 } as Heading)
        continue
      }
      closeBlock()
      blockDepth = node.depth
      const untitled = node.children.length === 0
      // `### Title {.alert}` / `{.example}`: beamer's alertblock and exampleblock.
      const kind = (node.data?.attributes?.classes ?? []).find((name) => name === 'alert' || name === 'example')
      out.push(html(`<div class="block${kind ? ` ${kind}` : ''}${untitled ? ' untitled' : ''}"${lineAttribute(node)}>`))
      if (!untitled) out.push({ ...node, depth: 3 } as Heading)
      continue
    }
    if (node.type === 'fencedDiv') {
      if (node.attributes.classes.includes('notes')) {
        notes.push(stringify(node.children).trim())
        continue
      }
      // pandoc ends an open block at a columns layout; other divs stay inside it.
      if (node.attributes.classes.includes('columns') && blockDepth !== undefined) closeBlock()
      out.push(...div(node, context, notes))
      continue
    }
    out.push(...leaf(node, context))
  }
  closeBlock()
  close(pauses.outside)
  return out
}

function divAttributes(node: FencedDiv): string {
  return `${lineAttribute(node)}${attributesHtml(node.attributes)}`
}

function attributesHtml({ classes, values, id }: Attributes): string {
  const styles: string[] = []
  if (classes.includes('column') && values.width) styles.push(columnWidth(values.width))
  // `<div style="...">` keeps its style, as in pandoc's HTML.
  if (values.style) styles.push(values.style)
  return [
    id ? ` id="${escapeHtml(id)}"` : '',
    classes.length > 0 ? ` class="${escapeHtml(classes.join(' '))}"` : '',
    styles.length > 0 ? ` style="${escapeHtml(styles.join('; '))}"` : '',
  ].join('')
}

function div(node: FencedDiv, context: Context, notes: string[]): RootContent[] {
  const { classes } = node.attributes
  const attributes = divAttributes(node)
  const body = flow(node.children as RootContent[], context, notes)
  // pandoc's incremental lists are Marp's fragmented lists, which Marp knows by their markers
  // (`*` and `1)`): the div's content is written with those markers.
  if (classes.includes('incremental')) {
    const { overlay } = context
    if (!overlay.pdf) return [html(`<div${attributes}>`), html(stringify(body, { incremental: true })), html('</div>')]
    // PDF: one item more per step; the rest keep their place, invisible (a style for this slide).
    const list = body.find((child): child is List => child.type === 'list')
    const count = list?.children.length ?? 0
    const shown = takeSteps(overlay, count)
    const name = `overlay-list-${++overlay.lists}`
    const hide = shown < count ? [html(`<style scoped>.${name} > :is(ul, ol) > li:nth-child(n+${shown + 1}) { visibility: hidden; }</style>`)] : []
    return [...hide, html(`<div${attributes.replace(/ class="/, ` class="${name} `)}>`), html(stringify(body)), html('</div>')]
  }
  return [html(`<div${attributes}>`), ...body, html('</div>')]
}

/** `40%` and `0.4` are fractions of the text width (as in beamer); other lengths are used as they are. */
function columnWidth(value: string): string {
  const percent = /^(\d*\.?\d+)%$/.exec(value)
  if (percent) return `--column-fraction: ${Number(percent[1]) / 100}`
  if (/^\d*\.?\d+$/.test(value)) return `--column-fraction: ${Number(value)}`
  return `flex-basis: ${value}`
}

/**
 * Console output and lint findings are raw `<pre>` blocks: they wrap like a terminal instead of
 * being highlighted and shrunk like code (a `<pre>` HTML block may hold blank lines).
 */
function consoleBlock(node: RootContent): Html | undefined {
  if (node.type !== 'code' || (node.lang !== 'output' && node.lang !== 'lint')) return undefined
  return html(`<pre class="console ${node.lang}"${lineAttribute(node)}><code>${escapeHtml(node.value)}\n</code></pre>`)
}

/**
 * The deck line of a block, carried into the HTML for the fit check's messages: an attribute on
 * the wrappers written here, the fence's info string for code (the engine makes it an attribute),
 * and an empty hidden span at the start of the first text of what Marp renders itself.
 */
function lineAttribute(node: RootContent): string {
  const line = node.position?.start.line
  return line ? ` data-line="${line}"` : ''
}

function markLine<T extends RootContent>(node: T): T {
  const line = node.position?.start.line
  if (!line) return node
  // after the code-lines info (line numbers, highlight steps) the highlighter reads
  if (node.type === 'code') return { ...node, meta: [node.meta, `data-line=${line}`].filter(Boolean).join(' ') }
  const marker = html(`<span data-line="${line}" hidden></span>`) as PhrasingContent
  let marked = false
  const visit = (current: RootContent): RootContent => {
    if (marked || !('children' in current)) return current
    if (current.type === 'paragraph' || current.type === 'tableCell' || current.type === 'heading') {
      marked = true
      return { ...current, children: [marker, ...current.children] } as RootContent
    }
    const children = current.children as RootContent[]
    const index = children.findIndex((child) => 'children' in child)
    if (index < 0) return current
    const copy = [...children]
    copy[index] = visit(children[index]!)
    return { ...current, children: copy } as RootContent
  }
  return visit(node) as T
}

function leaf(node: RootContent, context: Context): RootContent[] {
  const output = consoleBlock(node)
  if (output) return [output]
  if (node.type === 'code') return [markLine(codeBlock(node, context))]
  if (node.type === 'paragraph') {
    const figure = asFigure(node, context)
    if (figure) return [figure]
    return [markLine(markSentenceSpaces({ ...node, children: node.children.map(imageToHtml) } as Paragraph))]
  }
  if (node.type === 'list' || node.type === 'blockquote' || node.type === 'listItem' || node.type === 'table' || node.type === 'defList' || node.type === 'lineBlock') {
    return [markLine(markSentenceSpaces(mapImages(node)))]
  }
  return [markLine(node)]
}

/**
 * Line numbers and highlighted lines travel on the fence's info string to the highlighter
 * (scripts/markdown/code-display.ts). PDF: the page shows one highlight step.
 */
function codeBlock(node: Code, context: Context): Code {
  let display: CodeDisplay
  try {
    display = codeDisplay(node.data?.attributes)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (context.options.file) context.options.file.fail(reason, { place: node.position, ruleId: 'code-highlight', source: 'deck' })
    throw error
  }
  if (display.steps.length > 1 && context.overlay.pdf) display.show = Math.max(1, takeSteps(context.overlay, display.steps.length))
  else if (display.steps.length > 0 && context.overlay.pdf) display.show = 1
  const info = formatCodeInfo(display)
  if (!info) return node
  return { ...node, lang: node.lang ?? 'text', meta: info }
}

function mapImages<T extends RootContent>(node: T): T {
  if (node.type === 'image') return imageToHtml(node) as T
  if ('children' in node) {
    return { ...node, children: (node.children as RootContent[]).map((child) => mapImages(child)) } as T
  }
  return node
}

/** pandoc's implicit figure: an image alone in a paragraph, with alt text, gets a caption. */
function asFigure(node: Paragraph, context: Context): Html | undefined {
  const content = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  const image = content[0]
  if (content.length !== 1 || image?.type !== 'image' || !image.alt) return undefined
  context.figures++
  const caption = `<figcaption>Figure ${context.figures}: ${escapeHtml(image.alt)}</figcaption>`
  return html(`<figure${lineAttribute(node)}>${imageTag(image)}${caption}</figure>`)
}

function imageToHtml(node: PhrasingContent): PhrasingContent {
  if (node.type !== 'image') return node
  return html(imageTag(node)) as PhrasingContent
}

function imageTag(image: Image): string {
  const values = image.data?.attributes?.values ?? {}
  const styles: string[] = []
  if (values.height) styles.push(/%$/.test(values.height) ? `height: calc(var(--text-height) * ${parseFloat(values.height) / 100})` : `height: ${values.height}`)
  if (values.width) styles.push(`width: ${values.width}`)
  // Without a size given, the image's natural size, as LaTeX computes it from its resolution.
  const natural = image.data?.naturalSize
  if (!values.width && !values.height && natural) styles.push(`width: calc(var(--mm) * ${natural.widthMm.toFixed(2)})`)
  const style = styles.length > 0 ? ` style="${escapeHtml(styles.join('; '))}"` : ''
  return `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt ?? '')}"${style}>`
}

function titlePage(deck: Deck): string {
  const { settings } = deck
  const text = (value: string | undefined) =>
    escapeHtml(replaceTexCommands(value ?? '').text.replace(/\\ /g, '\u00a0').trim()).replace(/\n/g, '<br>')
  const lines = [
    `<div class="titlebox"><p class="title">${text(settings.title)}</p>`,
    settings.subtitle ? `<p class="subtitle">${text(settings.subtitle)}</p>` : '',
    '</div>',
    settings.author.length > 0 ? `<p class="author">${settings.author.map(text).join(' \u2003 ')}</p>` : '',
    settings.institute ? `<p class="institute">${text(settings.institute)}</p>` : '',
    settings.date ? `<p class="date">${text(settings.date)}</p>` : '',
    settings.titlegraphic ? `<p class="titlegraphic"><img src="${escapeHtml(settings.titlegraphic)}" alt=""></p>` : '',
  ]
  return `<div class="titlepage">${lines.join('')}</div>`
}

function tableOfContents(deck: Deck): string {
  const items = deck.sections.map((section, index) => {
    const target = sectionTarget(deck, index)
    return `<li><a href="#${target}">${escapeHtml(section.titleText)}</a></li>`
  })
  return `<ol class="toc">${items.join('')}</ol>`
}

function stringify(nodes: RootContent[], options: { incremental?: boolean } = {}): string {
  const root: Root = { type: 'root', children: nodes }
  return toMarkdown(root, {
    extensions: [gfmToMarkdown()],
    bullet: options.incremental ? '*' : '-',
    bulletOther: options.incremental ? '+' : '*',
    bulletOrdered: options.incremental ? ')' : '.',
    listItemIndent: 'one',
    fences: true,
    rule: '*',
    handlers: pandocBlockHandlers as never,
  }).trim()
}

/**
 * The pandoc blocks Marp's Markdown has no syntax for, as HTML around Markdown: a div inside a
 * list item, a definition list (`<dl>`), a line block (its lines joined by line breaks), a
 * bracketed span (`<span>` with its id and classes).
 */
const pandocBlockHandlers: Partial<Record<string, Handle>> = {
  fencedDiv: (node: FencedDiv, _parent, state, info) => `<div${divAttributes(node)}>\n\n${state.containerFlow(node as never, info)}\n\n</div>`,
  defList: (node: Parents, _parent, state, info) =>
    `<dl>\n${node.children
      .map((child) =>
        child.type === 'defListTerm'
          ? `<dt>\n\n${state.containerPhrasing(child as never, info)}\n\n</dt>`
          : `<dd>\n\n${state.containerFlow(child as never, info)}\n\n</dd>`,
      )
      .join('\n')}\n</dl>`,
  pandocSpan: (node: PandocSpan, _parent, state, info) => `<span${attributesHtml(node.attributes)}>${state.containerPhrasing(node as never, info)}</span>`,
  lineBlock: (node: LineBlock, _parent, state, info) => {
    const children = node.children.flatMap((line, index): PhrasingContent[] => (index === 0 ? line.children : [{ type: 'break' }, ...line.children]))
    return state.containerPhrasing({ type: 'paragraph', children }, info)
  },
}
