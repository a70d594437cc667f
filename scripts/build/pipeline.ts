/**
 * The build of one deck: the stages (stages.ts) in order. This is the one place the build's order
 * is written (the dev server keeps its own order of the same stages, dev/session.ts):
 *
 *   read -> parse (pandoc Markdown; code from snippet files; outputs stored or run)
 *        -> slide model -> Marp Markdown -> render HTML and PDF into a scratch folder
 *        -> measure (the fit check) and print the PDF in the same browser
 *        -> commit: new snippet outputs into snippets/, outputs into dist/
 *
 * Problems are vfile messages on the deck's file; a fatal one stops the build before anything is
 * committed, so a failed build leaves dist/ and the stored outputs as they were.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { VFile } from 'vfile'
import { VFileMessage } from 'vfile-message'
import { readDeckFile } from './deck-file.ts'
import { deckRenderer, highlightDeck, prepareDeck, reportOverflows, slideSize, type DeckRenderer } from './stages.ts'
import { onInterrupt } from '../core/interrupt.ts'
import { hasErrors } from '../core/report.ts'
import { timingsWanted } from '../core/timings.ts'
import { deckToMarpPages, type MarpDeck } from '../marp/markdown.ts'
import { deckOutline } from '../slides/outline.ts'
import type { SnippetReport } from '../snippets/remark-snippets.ts'
import { commitSnippetOutputs } from '../snippets/commit.ts'
import type { Deck } from '../slides/deck-model.ts'
import type { OutputMode } from '../snippets/outputs.ts'
import type { Page } from 'puppeteer-core'
import type { SlideOverflow } from '../browser/overflow.ts'
import type { AccessibilityFinding } from '../browser/accessibility.ts'
import { reportAccessibility, startExports } from './exports.ts'
import { pageLabels, pdfpcFile } from '../export/pdfpc.ts'
import { findThemeDir, projectThemeDir, themeFiles } from '../render/theme.ts'
import { notesByPage, renderNotes } from '../render/notes.ts'
import * as marpRenderer from '../render/marp.ts'
import { escapeRegExp } from '../core/escape-regexp.ts'

export type OutputFormat = 'html' | 'pdf'

export interface BuildOptions {
  formats: OutputFormat[]
  outDir: string
  snippetMode: OutputMode
  /** Report slides that do not fit as warnings instead of errors. */
  allowOverflow: boolean
  /** `--images png|jpeg`: one image per page of the PDF in `<outDir>/<name>/`, `scale` x the slide's px. */
  images?: { format: 'png' | 'jpeg'; scale: number }
  /** `--pptx`: `<outDir>/<name>.pptx`, a slide per page of the PDF. */
  pptx?: boolean
  /** Accessibility findings (alt text, contrast, titles) are errors, not warnings. */
  strictAccessibility?: boolean
  /**
   * The process builds again with the same browser (`--watch`): its pages each get a renderer
   * process of their own, which goes with the page (a browser in one process kept what each
   * closed page took: +6 MiB a save of the asyncio deck, 210 to 336 MiB in 30 saves).
   */
  browserOutlivesBuild?: boolean
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

export async function buildDeck(deckPath: string, options: BuildOptions): Promise<BuildResult> {
  const lap = stopwatch()
  const file = readDeckFile(deckPath)
  const result: BuildResult = { file, outputs: [], inputs: [] }
  if (hasErrors(file)) return result
  const wantsPdf = options.formats.includes('pdf')
  // Images and PPTX are made from the pages the PDF is printed from (a page per step).
  const wantsPages = wantsPdf || !!options.images || !!options.pptx
  // Marp's thread loads the renderer (~0.5 s of module loading) while the deck is parsed and its
  // snippets run. The browser (a process of its own, on the other core) starts early with its page
  // where it is likely to be needed: for a PDF always, for HTML alone when the fit check is likely
  // to run (its verdict not cached). It starts at once for a deck that has built before, and once
  // the deck has parsed for one building for the first time (maybe broken). Marp's thread starts
  // here, synchronously: a dynamic import's continuation would wait for the end of the parse
  // (synchronous work), and Marp would load after it instead of beside it.
  const rendererReady = options.formats.length > 0 ? marpRenderer.preloadRenderer() : undefined
  rendererReady?.catch(() => undefined) // awaited below
  const renderer =
    options.formats.length > 0
      ? Promise.all([
          rendererReady!,
          import('../browser/overflow.ts'),
          import('../browser/browser.ts'),
          import('../browser/deck-page.ts'),
        ])
      : undefined
  renderer?.catch(() => undefined)
  let hint: ReturnType<typeof import('../browser/overflow.ts').fitHint> | undefined
  let early = false
  // The fit check alone opens one page at a time: a browser it starts for this build alone needs
  // no renderer processes (browser/browser.ts).
  const browserMode = { singleProcess: !wantsPages && !options.browserOutlivesBuild }
  if (options.formats.length > 0) {
    hint = (await import('../browser/overflow.ts')).fitHint(deckPath, String(file.value))
    early = hint.builtBefore && (wantsPages || !hint.likelyCached)
    if (early) await (await import('../browser/deck-page.ts')).preparePage(browserMode)
  }
  try {
    const deck = await prepareDeck(file, options.snippetMode)
    lap('parse, snippets')
    // (Not once Marp's thread has loaded: the browser starts while it loads.)
    if (!early && (wantsPages || hint?.likelyCached === false)) import('../browser/deck-page.ts').then((pages) => pages.preparePage(browserMode)).catch(() => undefined)
    result.deck = deck
    result.inputs = [...(file.data.inputs ?? [])]
    if (file.data.snippets) result.snippets = file.data.snippets
    // Marp's thread highlights the deck's code while this one writes the Marp Markdown.
    const highlighted = renderer?.then(() => highlightDeck(deck))
    highlighted?.catch(() => undefined) // awaited by deckRenderer
    // The HTML steps through fragments; the PDF gets a page per step (beamer's overlays), written
    // below while Marp's thread renders the HTML.
    const htmlDeck = deckToMarpPages(deck, { file })
    lap('Marp Markdown')

    mkdirSync(options.outDir, { recursive: true })
    const scratch = mkdtempSync(path.join(options.outDir, '.build-'))
    // An interrupted build (Ctrl-C) leaves no scratch behind either. Retried: a write still under
    // way on libuv's threads (Marp writing the HTML) can land while the folder is being removed.
    const forget = onInterrupt(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }))
    try {
      const name = file.stem ?? 'deck'
      const input = path.join(scratch, `${name}.md`)
      writeFileSync(input, htmlDeck.markdown)
      const rendered: Array<[string, string]> = []
      if (options.formats.length > 0) {
        const [, fit, browser, pages] = await renderer!
        const html = path.join(scratch, `${name}.html`)
        const pdf = path.join(scratch, `${name}.pdf`)
        lap('renderer loaded')
        // A theme/ folder beside the deck's folder is its theme (as the dev server has it).
        const themeDir = findThemeDir(path.dirname(path.resolve(deckPath)))
        if (themeDir !== projectThemeDir) result.inputs.push(...themeFiles(themeDir))
        const render = await deckRenderer(deck, themeDir, highlighted)
        lap('highlighting')
        const htmlRendered = options.formats.includes('html') || !wantsPages ? render({ input, output: html, headlines: htmlDeck.headlines }) : undefined
        htmlRendered?.catch(() => undefined) // awaited below
        const pdfDeck = wantsPages ? deckToMarpPages(deck, { target: 'pdf', handout: deck.settings.handout, file }) : undefined
        const htmlText = await htmlRendered
        lap('HTML')
        const fitOptions = { size: slideSize(deck), floor: deck.settings.codeScaleFloor }
        if (pdfDeck) {
          // The fit check measures the pages the PDF is printed from: one browser, one load.
          const printable = await printableHtml(pdfDeck, htmlDeck, {
            scratch, name, html, render, htmlRendered: options.formats.includes('html'),
            notes: notesByPage(renderNotes(deck), pdfDeck.firstPage, pdfDeck.pages),
          })
          // A deck printed in several groups: Marp's thread (its heap holds every slide's tokens)
          // ends before the browser's largest moment; a small deck keeps it for the next build.
          if (deck.slides.length > pages.SLIDES_AT_ONCE) await marpRenderer.releaseRenderer()
          result.browser = await browser.browserDescription()
          // Pictures (--images, --pptx) are taken from one page at a time (browser/images.ts).
          // A PDF's headline links are written by the join (browser/headline-links.ts).
          const { printedHeadline } = await import('../browser/headline-links.ts')
          // The HTML output's text where it is the page printed (read once, from the render).
          const printedText = printable === html && htmlText !== undefined ? { text: htmlText } : {}
          const opened = await pages.openDeck(printable, fitOptions.size, { ...printedText, ...(options.images || options.pptx ? { lanes: 1 } : {}), ...(wantsPdf ? { prepare: printedHeadline } : {}) })
          lap('browser, page loaded and settled')
          try {
            // Each group of slides the fit check lays out is printed while it is laid out.
            const printer = await (await import('../browser/pdf.ts')).pdfPrinter(opened, deck)
            const labels = pageLabels(pdfDeck.firstPage, pdfDeck.pages)
            const exports = await startExports(options, { scratch, name, deck, labels })
            const { checkAccessibility } = await import('../browser/accessibility.ts')
            const findings: AccessibilityFinding[] = []
            const afterGroup = async (page: Page, from: number, to: number) => {
              findings.push(...(await checkAccessibility(page, from, to)))
              // Captured before the group is printed (see browser/images.ts on captures after printing).
              await exports?.afterGroup(page, from, to)
              if (wantsPdf) await printer.printGroup(page, from, to)
            }
            // Printed from the HTML output itself (no steps): its verdicts serve the next HTML-only
            // build (their keys made while the browser works).
            const memory = printable === html ? fit.fitMemory(html, fitOptions, printedText.text) : undefined
            memory?.catch(() => undefined) // awaited below
            const overflows = await fit.measureDeck(opened, fitOptions.floor, afterGroup)
            const remembered = await memory
            remembered?.remember(overflows, [0, remembered.slides])
            stopOnOverflow(file, deck, bySlide(overflows, pdfDeck.firstPage), options.allowOverflow)
            // The groups ran side by side: their findings in page order.
            findings.sort((a, b) => a.page - b.page)
            reportAccessibility(file, deck, bySlide(findings, pdfDeck.firstPage), options.strictAccessibility === true)
            lap('fit check, accessibility check and printing')
            if (wantsPdf) {
              writeFileSync(pdf, await printer.finish(deckOutline(deck, pdfDeck.firstPage), labels))
              // Beside the PDF, for pdfpc: its pages grouped into slides, the notes.
              writeFileSync(path.join(scratch, `${name}.pdfpc`), `${JSON.stringify(pdfpcFile(labels, await printer.notes()), null, 2)}\n`)
              lap('PDF')
            }
            if (exports) {
              rendered.push(...(await exports.finish(await printer.notes(), options.outDir)))
              lap('images, PPTX')
            }
          } finally {
            await opened.close()
          }
        } else {
          try {
            const { overflows, measured, slides } = await fit.checkOverflow(html, fitOptions, htmlText)
            hint?.rememberFitChecked()
            stopOnOverflow(file, deck, overflows, options.allowOverflow)
            lap(`fit check (${measured} of ${slides} slides measured)`)
          } catch (error) {
            // HTML alone needs no browser: the build goes on, unchecked, and says so.
            if (!(error instanceof browser.BrowserNotFoundError)) throw error
            file.message(`Slides not checked for overflow: ${error.message}`, { ruleId: 'overflow-unchecked', source: 'theme' })
          }
        }
        for (const format of options.formats) rendered.push([format === 'pdf' ? pdf : html, path.join(options.outDir, `${name}.${format}`)])
        if (wantsPdf) rendered.push([path.join(scratch, `${name}.pdfpc`), path.join(options.outDir, `${name}.pdfpc`)])
      }
      commitSnippetOutputs(file.data.snippets)
      for (const [from, to] of rendered) {
        // A folder (the images) replaces the previous build's: moved aside into the scratch first.
        if (statSync(from).isDirectory() && existsSync(to)) renameSync(to, path.join(scratch, `previous-${path.basename(to)}`))
        renameSync(from, to)
        result.outputs.push(to)
      }
      warnStaleExports(file, options, name)
      hint?.rememberBuilt()
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
 * Exports this build did not make (`--images`, `--pptx`) but an earlier one did are left as they
 * were, so they may show an older deck: said, not removed (`--out` may be any folder).
 */
function warnStaleExports(file: VFile, options: BuildOptions, name: string): void {
  const stale: string[] = []
  const pptx = path.join(options.outDir, `${name}.pptx`)
  if (!options.pptx && existsSync(pptx)) stale.push(`${path.relative(process.cwd(), pptx)} (--pptx)`)
  const imagesDir = path.join(options.outDir, name)
  const image = new RegExp(`^${escapeRegExp(name)}\\.\\d{3}\\.(png|jpeg)$`)
  if (!options.images && existsSync(imagesDir) && statSync(imagesDir).isDirectory() && readdirSync(imagesDir).some((entry) => image.test(entry))) {
    stale.push(`the images in ${path.relative(process.cwd(), imagesDir)}/ (--images)`)
  }
  if (stale.length > 0) {
    file.message(`Left from an earlier build, not made by this one, so they may show an older deck: ${stale.join(', ')}; build with those options again or delete them`, { ruleId: 'stale-export', source: 'deck' })
  }
}

/**
 * The HTML the PDF is printed from: the PDF's own Marp Markdown (a page per step), rendered; the
 * HTML output itself where the two are the same (no steps).
 */
async function printableHtml(
  pdfDeck: MarpDeck,
  htmlDeck: MarpDeck,
  context: {
    scratch: string; name: string; html: string; htmlRendered: boolean; render: DeckRenderer
    /** Rendered notes by page: the PDF's annotations hold their text (browser/pdf.ts). */
    notes: Map<number, string>
  },
): Promise<string> {
  const same = pdfDeck.markdown === htmlDeck.markdown && pdfDeck.headlines.every((headline, index) => headline === htmlDeck.headlines[index])
  if (same && context.htmlRendered) return context.html
  const input = path.join(context.scratch, `${context.name}.pdf.md`)
  const output = path.join(context.scratch, `${context.name}.pdf.html`)
  writeFileSync(input, pdfDeck.markdown)
  await context.render({ input, output, notes: context.notes, headlines: pdfDeck.headlines })
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
  if (!timingsWanted()) return () => undefined
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

/** The fit check's verdict as messages; a slide that does not fit stops the build (unless allowed). */
function stopOnOverflow(file: VFile, deck: Deck, overflows: SlideOverflow[], allow: boolean): void {
  reportOverflows(file, deck, overflows, allow)
  if (!allow && overflows.length > 0) {
    const first = file.messages.find((message) => message.ruleId === 'overflow')
    if (first) throw first
  }
}
