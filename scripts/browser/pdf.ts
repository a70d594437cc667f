/**
 * Prints the PDF from the pages the fit check measured (one browser, one load per group: what is
 * measured is what is printed), a group of slides at a time while the fit check has it laid out
 * (browser/deck-page.ts: a long deck laid out at once takes GBs; groups print side by side), and
 * joins and finishes the prints (browser/pdf-join.ts): beamer's paper size in millimetres, the
 * outline (sections holding their slides), speaker notes as annotations that show no icon, and
 * metadata. Printed tagged: the structure tree Chromium writes from the page's accessibility tree
 * (headings, paragraphs, lists, tables, figures with their alt text, code) is joined across the
 * groups.
 */
import type { Page } from 'puppeteer-core'
import { ASPECT_RATIOS } from '../reader/settings.ts'
import type { Deck } from '../slides/deck-model.ts'
import type { OutlineEntry } from '../slides/outline.ts'
import type { OpenDeck } from './deck-page.ts'
import { joinPdfs, readPrint, type ReadPrint } from './pdf-join.ts'
import { headlineLinks, type PageLink } from './headline-links.ts'
import { MARP_SELECTORS, type MarpSelectors } from '../marp/marp-contract.ts'
import { timingsWanted } from '../core/timings.ts'

/** 1 mm in PDF points and in CSS px. */
const PT_PER_MM = 72 / 25.4
const PX_PER_MM = 96 / 25.4

/** `outline`: the PDF's bookmarks (slides/outline.ts: sections holding their slides, at their pages). */
export async function printPdf(opened: OpenDeck, deck: Deck, outline: OutlineEntry[]): Promise<Uint8Array> {
  return pdfPrinter(opened, deck).finish(outline)
}

export interface PdfPrinter {
  /** Prints the slides `[from, to)`, which `page` shows (browser/deck-page.ts). */
  printGroup(page: Page, from: number, to: number): Promise<void>
  /**
   * Prints the groups not printed yet, and joins and finishes the PDF; `pageLabels`: each page's
   * label (browser/pdf-join.ts).
   */
  finish(outline: OutlineEntry[], pageLabels?: string[]): Promise<Uint8Array>
  /** The speaker notes' text by 0-based page, as the page has them. */
  notes(): Promise<Array<{ page: number; text: string }>>
}

type Notes = Array<{ page: number; text: string }>

/**
 * Prints a deck a group at a time: printGroup() while the fit check has the group laid out
 * (measureDeck's `afterGroup`), so that each slide is laid out once; finish() for the rest. The
 * groups may print side by side, on pages of their own: each print is kept by its first slide.
 */
export function pdfPrinter(opened: OpenDeck, deck: Deck): PdfPrinter {
  const size = ASPECT_RATIOS[deck.settings.aspectratio] ?? ASPECT_RATIOS['169']!
  // Every page of the deck holds all the notes (they are outside the slides).
  let notes: Promise<Notes> | undefined
  const readNotes = (page: Page) =>
    (notes ??= page.evaluate(
      (selector: string) =>
        [...document.querySelectorAll(selector)].map((note) => ({
          page: Number(note.getAttribute('data-index')),
          text: (note as HTMLElement).innerText.trim(),
        })),
      MARP_SELECTORS.note,
    ))
  // beamer's paper in millimetres (160 x 90 mm at 16:9): the px canvas printed at that size.
  const paper = { width: (size.paperHeightMm * size.width) / size.height, height: size.paperHeightMm }
  // Each print is read for joining in the time the browser lays out and measures the next group.
  const prints = new Map<number, Promise<ReadPrint>>()
  const figureAlts = new Map<number, string[]>()
  const links: PageLink[] = []
  let printing = 0
  const printGroup = async (page: Page, from: number, to: number) => {
    const started = performance.now()
    await readNotes(page)
    // The PDF shows every slide in its final state: steps are for presenting the HTML.
    await page.addStyleTag({ content: `${MARP_SELECTORS.fragmentState} { visibility: visible !important; }` })
    figureAlts.set(from, await page.evaluate(prepareTagging, from, to, MARP_SELECTORS))
    links.push(...(await page.evaluate(headlineLinks, from, to, MARP_SELECTORS)))
    const bytes = await page.pdf({
      printBackground: true,
      width: `${paper.width}mm`,
      height: `${paper.height}mm`,
      scale: (paper.width * PX_PER_MM) / size.width,
      tagged: true,
      outline: false,
      timeout: 0,
    })
    printing += performance.now() - started
    const read = new Promise<ReadPrint>((resolve, reject) => setImmediate(() => {
      try {
        resolve(readPrint(bytes))
      } catch (error) {
        reject(error)
      }
    }))
    read.catch(() => undefined) // reported by finish(), which awaits it
    prints.set(from, read)
  }
  const finish = async (outline: OutlineEntry[], pageLabels?: string[]) => {
    const unprinted = opened.groups.filter(([from]) => !prints.has(from))
    if (unprinted.length > 0) await opened.forEachGroup(printGroup, unprinted)
    const joining = performance.now()
    const { settings } = deck
    const read = await Promise.all([...prints].sort(([a], [b]) => a - b).map(([, print]) => print))
    const joined = joinPdfs(
      read,
      {
        // Chrome rounds the page up a fraction of a millimetre: the page box is the exact paper,
        // anchored at the top left where the slide is drawn (the content is not transformed).
        paper: { width: paper.width * PT_PER_MM, height: paper.height * PT_PER_MM },
        notes: (await notes) ?? [],
        outline,
        info: {
          Title: settings.title,
          Author: settings.author.join(', '),
          Subject: settings.subtitle,
          Creator: 'asyncio-pitfalls-deck (Marp)',
          Producer: 'asyncio-pitfalls-deck (Marp)',
        },
        lang: settings.lang,
        ...(pageLabels ? { pageLabels } : {}),
        figureAlts: [...figureAlts].sort(([a], [b]) => a - b).flatMap(([, alts]) => alts),
        // The headline links' boxes from CSS px of the slide to pt of the paper.
        links: links.map((link) => ({ ...link, rect: link.rect.map((px) => (px * paper.width * PT_PER_MM) / size.width) as PageLink['rect'] })),
      },
    )
    // `DECK_TIMINGS=1` (pipeline.ts): the browser's part (summed over the pages) and ours.
    if (timingsWanted()) console.error(`      ${(printing / 1000).toFixed(3)} s  printing (${prints.size} group${prints.size === 1 ? '' : 's'}, summed over the pages that print side by side), ${((performance.now() - joining) / 1000).toFixed(3)} s  joining`)
    return joined
  }
  return { printGroup, finish, notes: async () => (await notes) ?? [] }
}

/**
 * Runs in the page before each print: what Chromium's tagging (its accessibility tree) should read.
 * Marp's presenting script hides every slide but the current one from assistive technology
 * (`aria-hidden`), which would leave all but the first page untagged; the headline's section names
 * and dots repeat on every page and stay out of the tree; the title page's title and a section
 * page's name are headings. Returns the alt texts of the shown slides' figures, in order.
 */
function prepareTagging(from: number, to: number, marp: MarpSelectors): string[] {
  for (const slide of document.querySelectorAll(marp.hiddenSlide)) slide.removeAttribute('aria-hidden')
  for (const headline of document.querySelectorAll('nav.headline')) headline.setAttribute('aria-hidden', 'true')
  for (const title of document.querySelectorAll('.titlepage p.title, .section-page')) {
    title.setAttribute('role', 'heading')
    title.setAttribute('aria-level', '1')
  }
  // The shown slides' figures in order, with their pictures' alt text (browser/pdf-join.ts adds it).
  return [...document.querySelectorAll(marp.slide)]
    .slice(from, to)
    .flatMap((slide) => [...slide.querySelectorAll('figure')].map((figure) => figure.querySelector('img')?.getAttribute('alt')?.trim() || figure.getAttribute('aria-label') || ''))
}
