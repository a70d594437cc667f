/**
 * The stages of a build, each written once; the build (pipeline.ts), the dev server
 * (dev/session.ts), verify and the bench call them, each in its own order:
 *
 *   prepareDeck           pandoc Markdown -> the slide model, with its snippets' outputs (nothing written)
 *   deckToMarp            the slide model -> Marp Markdown (marp/markdown.ts)
 *   deckRenderer          Marp Markdown -> the presenting HTML, with highlighting, headline and notes
 *   (the fit check)       the HTML -> what does not fit (browser/overflow.ts)
 *   reportOverflows       that verdict -> messages on the deck's file, the same in the build and the dev server
 *   commitSnippetOutputs  outputs that ran -> snippets/ (snippets/commit.ts)
 */
import path from 'node:path'
import type { VFile } from 'vfile'
import { VFileMessage } from 'vfile-message'
import { pandocMarkdown } from '../reader/parse.ts'
import { parseRemembered } from '../reader/parse-cache.ts'
import { ASPECT_RATIOS, type DeckSettings } from '../reader/settings.ts'
import remarkRawTex from '../slides/remark-raw-tex.ts'
import remarkUnclosedFence from '../slides/remark-unclosed-fence.ts'
import remarkInlineImages from '../slides/remark-inline-images.ts'
import remarkSlides from '../slides/remark-slides.ts'
import remarkBidi from '../slides/remark-bidi.ts'
import remarkNesting, { checkNestingBeforeParse } from '../slides/remark-nesting.ts'
import { recordInput } from '../slides/inputs.ts'
import type { Deck } from '../slides/deck-model.ts'
import { remarkSnippets, type SnippetOptions } from '../snippets/remark-snippets.ts'
import type { OutputMode } from '../snippets/outputs.ts'
import type { RenderRequest } from '../render/marp.ts'
import { codeBlocks } from '../render/code-blocks.ts'
import { renderNotes } from '../render/notes.ts'
import type { SlideOverflow } from '../browser/overflow.ts'
import type { SlideSize } from '../browser/deck-page.ts'
import { findSnippetsDir, projectRoot } from '../core/paths.ts'
import { CONFIG_NAME, loadDeckConfig, type DeckConfig } from './deck-config.ts'

/**
 * Stages 1-2 as one unified chain: pandoc Markdown to the slide model (`file.data.deck`).
 * Without `snippets` (the front end's fixture tests) code blocks stay as written.
 */
export function deckProcessor(snippets?: SnippetOptions, defaults?: DeckSettings) {
  return pandocMarkdown(defaults ? { defaults } : {}) // the reader: pandoc's block tree, the front matter's settings
    .use(remarkRawTex) // raw TeX and HTML; pauses
    .use(remarkUnclosedFence)
    .use(remarkSnippets, snippets) // code from snippet files, outputs stored or run
    .use(remarkNesting) // lists and quotes nested deeper than the renderer draws: an error
    .use(remarkBidi) // bidi controls in code warned and shown
    .use(remarkInlineImages, snippets ? { projectDir: path.dirname(snippets.snippetsDir) } : {}) // images as data URIs
    .use(remarkSlides) // sections and slides
}

/**
 * Stages 1-2: the slide model of a deck, with its snippets' outputs (nothing written). Aborting
 * `signal` stops the snippets it runs (the dev server, when a newer edit makes them outdated).
 */
export async function prepareDeck(file: VFile, snippetMode: OutputMode, signal?: AbortSignal): Promise<Deck> {
  const deckDir = path.dirname(path.resolve(file.path))
  const config = deckConfig(file, deckDir)
  const snippets: SnippetOptions = { snippetsDir: findSnippetsDir(deckDir), projectDir: projectRoot, mode: snippetMode, runners: config.runners, ...(signal ? { signal } : {}) }
  // CRLF (and a lone CR) read as LF, as pandoc reads them: the code the highlighter caches is the
  // code Marp hands it, on every build. Lines and columns stay as the editor shows them.
  if (typeof file.value === 'string' && file.value.includes('\r')) file.value = file.value.replace(/\r\n?/g, '\n')
  checkNestingBeforeParse(file)
  const processor = deckProcessor(snippets, config.defaults)
  await processor.run(parseRemembered(processor, file, config.defaults), file)
  const deck = file.data.deck
  if (!deck) throw new Error('the parser produced no slides')
  if (deck.slides.length === 0) {
    file.fail('The deck has no slides: add a `## Title` (or front matter with a `title`); nothing was written', { ruleId: 'empty-deck', source: 'deck' })
  }
  return deck
}

/**
 * The deck's configuration (deck.config.yaml, recorded as inputs of the build); a problem in it is
 * reported among the deck's messages, at its place in the configuration file.
 */
function deckConfig(file: VFile, deckDir: string): DeckConfig {
  // Both places, whether there or not: one created later makes the last build out of date.
  for (const candidate of [path.join(projectRoot, CONFIG_NAME), path.join(deckDir, CONFIG_NAME)]) recordInput(file, candidate)
  try {
    return loadDeckConfig(deckDir)
  } catch (error) {
    if (error instanceof VFileMessage) file.messages.push(error)
    throw error
  }
}

/** What the headline's dot images depend on: the colour theme and each section's slide count. */
export function headlineOf(deck: Deck): NonNullable<RenderRequest['headline']> {
  return { colortheme: deck.settings.colortheme, sectionSizes: deck.sections.map((section) => section.slides.length) }
}

/** Renders one Marp Markdown file of the deck to the presenting HTML (its text: what was written); `notes` by page where not by slide. */
export type DeckRenderer = (request: { input: string; output: string; notes?: Map<number, string>; headlines?: readonly string[] }) => Promise<string>

/**
 * The render stage: the deck's code highlighted first (Marp's hook is synchronous), then each
 * render gets the deck's headline, its rendered notes and the theme. `highlighted`: the
 * highlighting started already (highlightDeck), while this thread wrote the Marp Markdown.
 */
export async function deckRenderer(deck: Deck, themeDir: string, highlighted?: Promise<void>): Promise<DeckRenderer> {
  const { render } = await import('../render/marp.ts')
  await (highlighted ?? highlightDeck(deck))
  const base = { themeDir, headline: headlineOf(deck), notes: renderNotes(deck) }
  return (request) => render({ ...base, ...request })
}

/** Highlights the deck's code in Marp's thread, ready for the render stage (deckRenderer). */
export async function highlightDeck(deck: Deck): Promise<void> {
  const { prepareHighlighting } = await import('../render/marp.ts')
  await prepareHighlighting(codeBlocks(deck))
}

/** The slide's size in CSS px, from the deck's aspect ratio. */
export function slideSize(deck: Deck): SlideSize {
  const size = ASPECT_RATIOS[deck.settings.aspectratio] ?? ASPECT_RATIOS['169']!
  return { width: size.width, height: size.height }
}

/**
 * What does not fit is an error at the block's line (else the slide's), naming the slide
 * (`allow`, `--allow-overflow`: a warning).
 */
export function reportOverflows(file: VFile, deck: Deck, overflows: SlideOverflow[], allow: boolean): void {
  for (const { page, problems } of overflows) {
    const slide = deck.slides[page - 1]
    const title = slide?.titleText ? ` "${slide.titleText}"` : slide ? ` (${slide.kind} slide)` : ''
    const hint = allow ? '' : ' (shorten or split it, or build with --allow-overflow)'
    for (const problem of problems) {
      const place = problem.line ? { line: problem.line, column: 1 } : slide?.position?.start
      const message = file.message(`Slide ${page}${title} does not fit: ${problem.text}${hint}`, {
        ruleId: 'overflow',
        source: 'theme',
        ...(place ? { place } : {}),
      })
      message.fatal = !allow
    }
  }
}
