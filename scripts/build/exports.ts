/**
 * The build's steps besides HTML and PDF (build/pipeline.ts calls them): the accessibility
 * check's report, and the exports made from the printed pages (`--images`, `--pptx`).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'puppeteer-core'
import type { VFile } from 'vfile'
import type { AccessibilityFinding, AccessibilityProblem } from '../browser/accessibility.ts'
import type { SlideItem } from '../browser/slide-layout.ts'
import { pdfpcFile } from '../export/pdfpc.ts'
import { ASPECT_RATIOS } from '../reader/settings.ts'
import type { Deck } from '../slides/deck-model.ts'

/** The build's options for the exports (build/pipeline.ts BuildOptions). */
export interface ExportOptions {
  images?: { format: 'png' | 'jpeg'; scale: number }
  pptx?: boolean
}

/**
 * The accessibility check's findings (browser/accessibility.ts) and the slides without a title,
 * as warnings at the element's line (else the slide's); errors with `--strict-accessibility`.
 */
export function reportAccessibility(file: VFile, deck: Deck, findings: AccessibilityFinding[], strict: boolean): void {
  const report = (slideNumber: number, text: string, line?: number) => {
    const slide = deck.slides[slideNumber - 1]
    const title = slide?.titleText ? ` "${slide.titleText}"` : ''
    const place = line ? { line, column: 1 } : slide?.position?.start
    const message = file.message(`Slide ${slideNumber}${title}: ${text}`, { ruleId: 'accessibility', source: 'a11y', ...(place ? { place } : {}) })
    message.fatal = strict
  }
  deck.slides.forEach((slide, index) => {
    if (slide.kind === 'content' && slide.title.length === 0) report(index + 1, 'the slide has no title (a screen reader announces slides by their titles: give it a `## Title`)')
  })
  // A colour pair too faint on several slides (a theme's colour, a highlighting style's) is one
  // finding, at its first place, naming the other slides.
  const pairs = new Map<string, { page: number; problem: AccessibilityProblem; others: number[] }>()
  const ordered: Array<{ page: number; problem: AccessibilityProblem; others: number[] }> = []
  for (const { page, problems } of findings) {
    for (const problem of problems) {
      const first = problem.pair ? pairs.get(problem.pair) : undefined
      if (first) {
        if (first.page !== page && !first.others.includes(page)) first.others.push(page)
        continue
      }
      const entry = { page, problem, others: [] }
      if (problem.pair) pairs.set(problem.pair, entry)
      ordered.push(entry)
    }
  }
  for (const { page, problem, others } of ordered) {
    report(page, `${problem.text}${others.length > 0 ? ` (the same colours on slide${others.length > 1 ? 's' : ''} ${others.join(', ')})` : ''}`, problem.line)
  }
  if (strict) {
    const first = file.messages.find((message) => message.ruleId === 'accessibility')
    if (first) throw first
  }
}

/**
 * The exports made from the printed pages (`--images`, `--pptx`): captured a group at a time while
 * the fit check has the group laid out, written into the scratch folder at the end; returns what
 * goes where in the output folder.
 */
export async function startExports(
  options: ExportOptions,
  context: { scratch: string; name: string; deck: Deck; labels: string[] },
): Promise<{ afterGroup(page: Page, from: number, to: number): Promise<void>; finish(notes: Array<{ page: number; text: string }>, outDir: string): Promise<Array<[string, string]>> } | undefined> {
  if (!options.images && !options.pptx) return undefined
  const { captureSlides } = await import('../browser/images.ts')
  const layout = options.pptx ? await import('../browser/slide-layout.ts') : undefined
  const pictures: Uint8Array[] = []
  const pptxPages: Array<{ background: Uint8Array; items: SlideItem[] }> = []
  return {
    async afterGroup(page, from, to) {
      if (layout) {
        // The editable parts read (and marked), then a picture of the rest behind them.
        const items = await layout.readSlideLayouts(page, from, to)
        const backgrounds = await captureSlides(page, from, to, { format: 'png', scale: 1.5, hide: layout.EDITABLE })
        await layout.clearEditableMarks(page)
        items.forEach((list, index) => (pptxPages[from + index] = { background: backgrounds[index]!, items: list }))
      }
      if (options.images) (await captureSlides(page, from, to, options.images)).forEach((picture, index) => (pictures[from + index] = picture))
    },
    async finish(notes, outDir) {
      const moves: Array<[string, string]> = []
      if (options.pptx) {
        const { writePptx } = await import('../export/pptx.ts')
        const size = ASPECT_RATIOS[context.deck.settings.aspectratio] ?? ASPECT_RATIOS['169']!
        // A slide's notes on each of its pages (as in the .pdfpc file).
        const byPage = new Map(pdfpcFile(context.labels, notes).pages.map((entry) => [entry.idx, entry.note]))
        const { settings } = context.deck
        const file = path.join(context.scratch, `${context.name}.pptx`)
        writeFileSync(
          file,
          await writePptx(
            pptxPages.map((entry, index) => ({ ...entry, ...(byPage.get(index) ? { notes: byPage.get(index)! } : {}) })),
            {
              slide: { width: size.width, height: size.height },
              paper: { width: (size.paperHeightMm * size.width) / size.height, height: size.paperHeightMm },
              ...(settings.title ? { title: settings.title } : {}),
              ...(settings.author.length > 0 ? { author: settings.author.join(', ') } : {}),
              ...(settings.subtitle ? { subject: settings.subtitle } : {}),
            },
          ),
        )
        moves.push([file, path.join(outDir, `${context.name}.pptx`)])
      }
      if (options.images) {
        const folder = path.join(context.scratch, `${context.name}-images`)
        mkdirSync(folder)
        const digits = Math.max(3, String(context.labels.length).length)
        pictures.forEach((picture, index) => writeFileSync(path.join(folder, `${context.name}.${String(index + 1).padStart(digits, '0')}.${options.images!.format === 'jpeg' ? 'jpeg' : 'png'}`), picture))
        moves.push([folder, path.join(outDir, context.name)])
      }
      return moves
    },
  }
}
