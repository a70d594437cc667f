/**
 * The build of one deck, stage by stage. This is the one place the order is written:
 *
 *   read -> parse (pandoc Markdown; code from snippet files; outputs stored or run)
 *        -> slide model -> Marp Markdown -> render HTML and PDF into a scratch folder
 *        -> commit: new snippet outputs into snippets/, outputs into dist/
 *
 * Problems are vfile messages on the deck's file; a fatal one stops the build before anything is
 * committed, so a failed build leaves dist/ and the stored outputs as they were.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { VFile } from 'vfile'
import { VFileMessage } from 'vfile-message'
import { readDeckFile } from './deck-file.ts'
import { onInterrupt } from '../core/interrupt.ts'
import { pandocMarkdown } from '../reader/parse.ts'
import remarkRawTex from '../slides/remark-raw-tex.ts'
import remarkUnclosedFence from '../slides/remark-unclosed-fence.ts'
import remarkInlineImages from '../slides/remark-inline-images.ts'
import remarkSlides from '../slides/remark-slides.ts'
import remarkBidi from '../slides/remark-bidi.ts'
import remarkNesting, { checkNestingBeforeParse } from '../slides/remark-nesting.ts'
import { deckToMarp, deckToMarpPages } from '../marp/markdown.ts'
import { deckOutline } from '../slides/outline.ts'
import { remarkSnippets, type SnippetOptions, type SnippetReport } from '../snippets/remark-snippets.ts'
import type { Deck } from '../slides/deck-model.ts'
import type { OutputMode } from '../snippets/outputs.ts'
import type { SlideOverflow } from '../browser/overflow.ts'
import type { RenderRequest } from '../render/marp.ts'
import { ASPECT_RATIOS, type DeckSettings } from '../reader/settings.ts'
import { recordInput } from '../slides/inputs.ts'
import { CONFIG_NAME, loadDeckConfig, type DeckConfig } from './deck-config.ts'
import { findThemeDir, projectThemeDir, themeFiles } from '../render/theme.ts'
import { notesByPage, renderNotes } from '../render/notes.ts'
import { formatStored, readStored, writeStored } from '../snippets/store.ts'
import { projectRoot, snippetsDir as projectSnippetsDir } from '../core/paths.ts'

export type OutputFormat = 'html' | 'pdf'

export interface BuildOptions {
  formats: OutputFormat[]
  outDir: string
  snippetMode: OutputMode
  /** Report slides that do not fit as warnings instead of errors. */
  allowOverflow: boolean
}

export interface BuildResult {
  file: VFile
  deck?: Deck
  outputs: string[]
  snippets?: SnippetReport
  /** Files the build read besides the deck. */
  inputs: string[]
  /** The browser that measured and printed, where one ran. */
  browser?: string
}

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
  await processor.run(processor.parse(file), file)
  const deck = file.data.deck
  if (!deck) throw new Error('the parser produced no slides')
  if (deck.slides.length === 0) {
    file.fail('The deck has no slides: add a `## Title` (or front matter with a `title`); nothing was written', { ruleId: 'empty-deck', source: 'deck' })
  }
  return deck
}

export async function buildDeck(deckPath: string, options: BuildOptions): Promise<BuildResult> {
  const lap = stopwatch()
  const file = readDeckFile(deckPath)
  const result: BuildResult = { file, outputs: [], inputs: [] }
  if (hasErrors(file)) return result
  const wantsPdf = options.formats.includes('pdf')
  // Load the renderer (Marp, ~0.5 s of module loading) and start the browser while snippets run
  // in other processes. The browser is started for an HTML-only build too: its fit check needs it
  // unless the verdict is cached, and starting it only then puts its whole launch on the build's path.
  const renderer =
    options.formats.length > 0
      ? Promise.all([
          import('../render/marp.ts').then(async (marp) => (await marp.preloadRenderer(), marp)),
          import('../browser/overflow.ts'),
          import('../browser/browser.ts').then((browser) => (void browser.sharedBrowser().catch(() => undefined), browser)),
        ])
      : undefined
  renderer?.catch(() => undefined)
  try {
    const deck = await prepareDeck(file, options.snippetMode)
    lap('parse, snippets')
    result.deck = deck
    result.inputs = [...(file.data.inputs ?? [])]
    if (file.data.snippets) result.snippets = file.data.snippets
    // The HTML steps through fragments; the PDF gets a page per step (beamer's overlays).
    const marpMarkdown = deckToMarp(deck, { file })
    const pdfDeck = wantsPdf ? deckToMarpPages(deck, { target: 'pdf', handout: deck.settings.handout, file }) : undefined
    lap('Marp Markdown')

    mkdirSync(options.outDir, { recursive: true })
    const scratch = mkdtempSync(path.join(options.outDir, '.build-'))
    // An interrupted build (Ctrl-C) leaves no scratch behind either. Retried: a write still under
    // way on libuv's threads (Marp writing the HTML) can land while the folder is being removed.
    const forget = onInterrupt(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }))
    try {
      const name = file.stem ?? 'deck'
      const input = path.join(scratch, `${name}.md`)
      writeFileSync(input, marpMarkdown)
      const rendered: Array<[string, string]> = []
      if (options.formats.length > 0) {
        const [{ render: renderMarp, prepareHighlighting }, fit, browser] = await renderer!
        const html = path.join(scratch, `${name}.html`)
        const pdf = path.join(scratch, `${name}.pdf`)
        const headline = { colortheme: deck.settings.colortheme, sectionSizes: deck.sections.map((section) => section.slides.length) }
        lap('renderer and browser loaded')
        await prepareHighlighting(codeBlocks(deck))
        lap('highlighting')
        // A theme/ folder beside the deck's folder is its theme (as the dev server has it).
        const themeDir = findThemeDir(path.dirname(path.resolve(deckPath)))
        if (themeDir !== projectThemeDir) result.inputs.push(...themeFiles(themeDir))
        const render = (request: RenderRequest) => renderMarp({ ...request, themeDir })
        const notes = renderNotes(deck)
        if (options.formats.includes('html') || !pdfDeck) await render({ input, output: html, headline, notes })
        lap('HTML')
        const fitOptions = { size: slideSize(deck), floor: deck.settings.codeScaleFloor }
        if (pdfDeck) {
          // The fit check measures the pages the PDF is printed from: one browser, one load.
          const printable = await printableHtml(pdfDeck.markdown, marpMarkdown, {
            scratch, name, html, render, headline, htmlRendered: options.formats.includes('html'),
            notes: notesByPage(notes, pdfDeck.firstPage, pdfDeck.pages),
          })
          result.browser = await browser.browserDescription()
          const page = await fit.openDeck(printable, fitOptions.size)
          lap('browser, page loaded and settled')
          try {
            // Each group of slides the fit check lays out is printed while it is laid out.
            const printer = await (await import('../browser/pdf.ts')).pdfPrinter(page, deck)
            reportOverflows(file, deck, bySlide(await fit.measureDeck(page, fitOptions.floor, printer.printGroup), pdfDeck.firstPage), options.allowOverflow)
            lap('fit check and printing')
            writeFileSync(pdf, await printer.finish(deckOutline(deck, pdfDeck.firstPage)))
            lap('PDF')
          } finally {
            await page.close()
          }
        } else {
          try {
            reportOverflows(file, deck, await fit.checkOverflow(html, fitOptions), options.allowOverflow)
            lap('fit check')
          } catch (error) {
            // HTML alone needs no browser: the build goes on, unchecked, and says so.
            if (!(error instanceof browser.BrowserNotFoundError)) throw error
            file.message(`Slides not checked for overflow: ${error.message}`, { ruleId: 'overflow-unchecked', source: 'theme' })
          }
        }
        for (const format of options.formats) rendered.push([format === 'pdf' ? pdf : html, path.join(options.outDir, `${name}.${format}`)])
      }
      commitSnippetOutputs(file.data.snippets)
      for (const [from, to] of rendered) {
        renameSync(from, to)
        result.outputs.push(to)
      }
    } finally {
      forget()
      rmSync(scratch, { recursive: true, force: true })
    }
  } catch (error) {
    if (!(error instanceof VFileMessage)) {
      const message = file.message(error instanceof Error ? error.message : String(error), { ruleId: 'build', source: 'deck' })
      message.fatal = true
    }
  }
  return result
}

/**
 * The HTML the PDF is printed from: the PDF's own Marp Markdown (a page per step), rendered; the
 * HTML output itself where the two are the same (no steps).
 */
async function printableHtml(
  pdfMarkdown: string,
  htmlMarkdown: string,
  context: {
    scratch: string; name: string; html: string; htmlRendered: boolean; render: (request: RenderRequest) => Promise<void>
    headline: RenderRequest['headline']
    /** Rendered notes by page: the PDF's annotations hold their text (browser/pdf.ts). */
    notes: Map<number, string>
  },
): Promise<string> {
  if (pdfMarkdown === htmlMarkdown && context.htmlRendered) return context.html
  const input = path.join(context.scratch, `${context.name}.pdf.md`)
  const output = path.join(context.scratch, `${context.name}.pdf.html`)
  writeFileSync(input, pdfMarkdown)
  await context.render({ input, output, notes: context.notes, ...(context.headline ? { headline: context.headline } : {}) })
  return output
}

/** The fit check's verdict per page of the PDF, as one per slide (`firstPage[i]`: slide i's first page). */
function bySlide(pages: SlideOverflow[], firstPage: number[]): SlideOverflow[] {
  const slides = new Map<number, Map<string, SlideOverflow['problems'][number]>>()
  for (const { page, problems } of pages) {
    let slide = firstPage.findIndex((first, index) => page >= first && page < (firstPage[index + 1] ?? Number.POSITIVE_INFINITY))
    if (slide < 0) slide = page - 1
    const found = slides.get(slide + 1) ?? new Map()
    for (const problem of problems) found.set(`${problem.line ?? ''}:${problem.text}`, problem)
    slides.set(slide + 1, found)
  }
  return [...slides].map(([page, problems]) => ({ page, problems: [...problems.values()] }))
}

/** `DECK_TIMINGS=1`: the time of each stage on stderr, for finding where a build spends it. */
function stopwatch(): (stage: string) => void {
  if (!process.env.DECK_TIMINGS) return () => undefined
  let last = performance.now()
  let lastCpu = process.cpuUsage()
  console.error(`  ${(last / 1000).toFixed(3)} s  (this process's CPU ${((lastCpu.user + lastCpu.system) / 1e6).toFixed(3)} s)  start: Node, toolchain, command line`)
  return (stage) => {
    const now = performance.now()
    const cpu = process.cpuUsage(lastCpu)
    console.error(`  ${((now - last) / 1000).toFixed(3)} s  (this process's CPU ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s)  ${stage}`)
    last = now
    lastCpu = process.cpuUsage()
  }
}

function slideSize(deck: Deck): { width: number; height: number } {
  const size = ASPECT_RATIOS[deck.settings.aspectratio] ?? ASPECT_RATIOS['169']!
  return { width: size.width, height: size.height }
}

/**
 * What does not fit is an error at the block's line (else the slide's), naming the slide
 * (`--allow-overflow`: a warning).
 */
function reportOverflows(file: VFile, deck: Deck, overflows: SlideOverflow[], allow: boolean): void {
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
  if (!allow && overflows.length > 0) {
    const first = file.messages.find((message) => message.ruleId === 'overflow')
    if (first) throw first
  }
}

/**
 * The deck's code blocks as Marp's highlighter hook will see them (fence content ends in a
 * newline); console output and lint findings become plain `<pre>` and are never highlighted.
 */
export function codeBlocks(deck: Deck): Array<{ code: string; lang: string }> {
  const blocks: Array<{ code: string; lang: string }> = []
  const walk = (nodes: unknown[]) => {
    for (const node of nodes as Array<{ type: string; lang?: string | null; value?: string; children?: unknown[]; data?: { versions?: Array<{ node: unknown }> } }>) {
      if (node.type === 'code' && node.lang && node.lang !== 'output' && node.lang !== 'lint') blocks.push({ code: node.value ? `${node.value}\n` : '', lang: node.lang })
      if (node.children) walk(node.children)
      // a block that lists versions (build-evolve.ts) shows each
      if (node.data?.versions) walk(node.data.versions.map((version) => version.node))
    }
  }
  for (const slide of deck.slides) walk(slide.body)
  return blocks
}

/** Writes the outputs that ran in this build, where they differ from what is stored. */
export function commitSnippetOutputs(report: SnippetReport | undefined): string[] {
  const written: string[] = []
  for (const outcome of report?.outcomes ?? []) {
    if (!outcome.ran || outcome.failure) continue
    const current = readStored(outcome.storeFile)
    if (current && formatStored(current) === formatStored(outcome.stored)) continue
    writeStored(outcome.storeFile, outcome.stored)
    written.push(outcome.storeFile)
  }
  return written
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

/** `snippets/` beside the deck's folder (slides/../snippets), in it, or the project's. */
export function findSnippetsDir(deckDir: string): string {
  for (const candidate of [path.join(deckDir, '..', 'snippets'), path.join(deckDir, 'snippets')]) {
    if (existsSync(candidate)) return path.resolve(candidate)
  }
  return projectSnippetsDir
}

export function hasErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true)
}
