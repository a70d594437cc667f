/**
 * Long decks are printed a group of slides at a time and the prints joined (browser/pdf.ts,
 * browser/pdf-join.ts): the PDF printed in groups of two slides (each a part document of its own,
 * two at a time: browser/deck-page.ts) is the PDF printed at once - the
 * same pages, text, page boxes, links to the same pages, notes on the same pages, outline and
 * metadata, structure tree - and it is a PDF that pdf-lib and pdf.js both read. Printed as a build
 * prints, its headline's links are written by the join, where Chromium writes them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from 'pdf-lib'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { VFile } from 'vfile'
import { closeBrowser } from '../scripts/browser/browser.ts'
import { openDeck } from '../scripts/browser/deck-page.ts'
import { printPdf } from '../scripts/browser/pdf.ts'
import { printedHeadline } from '../scripts/browser/headline-links.ts'
import { prepareDeck } from '../scripts/build/stages.ts'
import { deckOutline } from '../scripts/slides/outline.ts'
import { runCli } from './helpers/cli.ts'

const DECK = [
  '---', 'title: Groups', 'author: [Ada, Bob]', 'subtitle: joined', '---', '',
  '# First part', '',
  '## One', '', '- a point', '', '::: notes', 'Note of (one).', ':::', '',
  '## Two', '', '```python', 'print("two")', '```', '',
  '# Second part', '',
  '## Three', '', 'Text.', '', '::: notes', 'Note of three.', ':::', '',
  '## Four', '', 'More.', '',
  '## Five', '', 'Last.', '',
].join('\n')

let work: string
let at: { once: Uint8Array; grouped: Uint8Array }
beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-groups-'))
  const dir = path.join(work, 'deck')
  mkdirSync(dir, { recursive: true })
  const deckFile = path.join(dir, 'talk.md')
  writeFileSync(deckFile, DECK)
  const result = await runCli(['build', 'talk.md', '--html', '--out', 'dist', '--force'], { cwd: dir })
  expect(result.status, result.stderr).toBe(0)
  const deck = await prepareDeck(new VFile({ path: deckFile, value: DECK }), 'reuse')
  const firstPage = deck.slides.map((_, index) => index + 1)
  // At once as Chromium prints the headline's dot links; in groups as a build prints: the join
  // writes them (browser/headline-links.ts).
  const print = async (options: { slidesAtOnce?: number; prepare?: typeof printedHeadline }) => {
    const opened = await openDeck(path.join(dir, 'dist', 'talk.html'), { width: 1280, height: 720 }, options)
    try {
      return await printPdf(opened, deck, deckOutline(deck, firstPage))
    } finally {
      await opened.close()
    }
  }
  at = { once: await print({}), grouped: await print({ slidesAtOnce: 2, prepare: printedHeadline }) }
}, 120_000)
afterAll(async () => {
  await closeBrowser()
  rmSync(work, { recursive: true, force: true })
})

/** A page's structure tree as its roles (and alt texts), depth first: what a screen reader walks. */
function roles(node: { role?: string; alt?: string; children?: unknown[] } | null): string[] {
  if (!node) return []
  const own = node.role && node.role !== 'NonStruct' ? [node.alt ? `${node.role}(${node.alt})` : node.role] : []
  return [...own, ...(node.children ?? []).flatMap((child) => roles(child as typeof node))]
}

/** What a reader sees of a PDF: per page its box, text, links (as target pages) and notes; the outline. */
async function contents(bytes: Uint8Array) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise
  const pages = []
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number)
    const text = (await page.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join('')
    const links: number[] = []
    const boxes: Array<[number, number[]]> = []
    for (const annotation of await page.getAnnotations()) {
      if (annotation.subtype !== 'Link') continue
      const dest = typeof annotation.dest === 'string' ? await pdf.getDestination(annotation.dest) : annotation.dest
      links.push(dest ? (await pdf.getPageIndex(dest[0])) + 1 : -1)
      boxes.push([links.at(-1)!, annotation.rect as number[]])
    }
    // (in the order of their boxes: the join writes the dots' links after Chromium's own)
    boxes.sort(([a, [x1 = 0, y1 = 0]], [b, [x2 = 0, y2 = 0]]) => y1 - y2 || x1 - x2 || a - b)
    pages.push({ view: page.view, text, links: boxes.map(([target]) => target), boxes, structure: roles(await page.getStructTree()) })
  }
  const outline = (await pdf.getOutline()) ?? []
  const outlinePages = async (items: typeof outline): Promise<unknown[]> =>
    Promise.all(items.map(async (item) => [item.title, Array.isArray(item.dest) ? (await pdf.getPageIndex(item.dest[0])) + 1 : -1, await outlinePages(item.items)]))
  const info = (await pdf.getMetadata()).info as Record<string, unknown>
  const outlined = await outlinePages(outline)
  await pdf.destroy()
  // pdf.js does not list hidden annotations: the notes are read with pdf-lib.
  const model = await PDFDocument.load(bytes)
  const notes = model.getPages().map((page) =>
    (page.node.Annots()?.asArray() ?? [])
      .map((ref) => model.context.lookup(ref, PDFDict))
      .filter((annotation) => annotation.get(PDFName.of('Subtype')) === PDFName.of('Text'))
      .map((annotation) => [annotation.lookup(PDFName.of('Contents'), PDFString, PDFHexString).decodeText(), annotation.get(PDFName.of('F'))?.toString()]),
  )
  const lang = model.catalog.lookup(PDFName.of('Lang'), PDFString, PDFHexString).decodeText()
  const dests = model.catalog.lookup(PDFName.of('Dests'), PDFDict).keys().length
  return { pages, outline: outlined, info: [info.Title, info.Author, info.Subject, info.Creator], notes, lang, dests, kids: model.catalog.lookup(PDFName.of('Pages'), PDFDict).lookup(PDFName.of('Kids'), PDFArray).size() }
}

describe('a PDF printed in groups of slides', () => {
  it('is the PDF printed at once: pages, text, boxes, links, notes, outline, metadata', async () => {
    const once = await contents(at.once)
    const grouped = await contents(at.grouped)
    // The headline's links written by the join (the dots', the names') are where Chromium writes
    // them, to within a fraction of a point (Chromium snaps its boxes in its own way).
    const boxes = (of: typeof once) => of.pages.map((page) => page.boxes)
    expect(boxes(grouped).map((page) => page.length)).toEqual(boxes(once).map((page) => page.length))
    boxes(grouped).forEach((page, index) =>
      page.forEach(([target, rect], at) => {
        const [expectedTarget, expected] = boxes(once)[index]![at]!
        expect(target, `page ${index + 1}, link ${at + 1}`).toBe(expectedTarget)
        rect.forEach((value, side) => expect(Math.abs(value - expected[side]!), `page ${index + 1}, link ${at + 1}: ${rect} vs ${expected}`).toBeLessThan(0.5))
      }),
    )
    const withoutBoxes = (of: typeof once) => ({ ...of, pages: of.pages.map(({ boxes: _, ...page }) => page) })
    expect(withoutBoxes(grouped)).toEqual(withoutBoxes(once))
    // non-trivial: every page there, at beamer's paper, with the headline's links and the notes
    expect(once.pages).toHaveLength(8)
    for (const page of once.pages) {
      expect(page.view[2]! - page.view[0]!).toBeCloseTo(453.54, 1)
      expect(page.view[3]! - page.view[1]!).toBeCloseTo(255.12, 1)
    }
    expect(once.pages.flatMap((page) => page.links).filter((target) => target < 1)).toEqual([])
    expect(once.pages.every((page) => page.links.length > 0)).toBe(true)
    // title, section page, One (with its note), Two, section page, Three (with its note), Four, Five
    expect(once.notes.map((notes) => notes.map(([text]) => text))).toEqual([[], [], ['Note of (one).'], [], [], ['Note of three.'], [], []])
    expect(once.notes[2]).toEqual([['Note of (one).', '34']])
    expect(once.outline.map((entry) => (entry as unknown[])[0])).toEqual(['First part', 'Second part'])
    expect(once.info).toEqual(['Groups', 'Ada, Bob', 'joined', 'asyncio-pitfalls-deck (Marp)'])
    expect(once.lang).toBe('en')
    expect(once.kids).toBe(8)
    // tagged: a structure tree on every page (joined across the groups: the same as printed at
    // once), a heading per page (the title, the sections' names, each frame title), the headline's
    // links not in it (artifacts)
    expect(once.pages.map((page) => page.structure.filter((role) => /^H\d$/.test(role)))).toEqual([['H1'], ['H1'], ['H2'], ['H2'], ['H1'], ['H2'], ['H2'], ['H2']])
    expect(once.pages.every((page) => !page.structure.includes('Link'))).toBe(true)
    expect(once.pages[2]!.structure).toEqual(expect.arrayContaining(['H2', 'L', 'LI']))
    expect(once.pages[3]!.structure).toContain('Code')
  })

  it('keeps the images that the prints of the groups share once', async () => {
    const images = async (bytes: Uint8Array) =>
      (await PDFDocument.load(bytes)).context.enumerateIndirectObjects().filter(([, object]) => object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image')).length
    const once = await images(at.once)
    expect(once).toBeGreaterThan(0)
    expect(await images(at.grouped)).toBe(once)
  })
})
