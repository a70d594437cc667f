/**
 * Prints the PDF from the page the fit check measured (one browser, one load: what is measured is
 * what is printed), then finishes it with pdf-lib: beamer's paper size in millimetres, the outline
 * (sections holding their slides), speaker notes as annotations that show no icon, and metadata.
 */
import type { Page } from 'puppeteer-core'
import { PDFDocument, PDFHexString, PDFName, type PDFRef } from 'pdf-lib'
import { ASPECT_RATIOS } from '../config.ts'
import type { Deck } from '../markdown/deck-model.ts'

/** 1 mm in PDF points and in CSS px. */
const PT_PER_MM = 72 / 25.4
const PX_PER_MM = 96 / 25.4

/** `outline`: the PDF's bookmarks (markdown/outline.ts: sections holding their slides, at their pages). */
export async function printPdf(page: Page, deck: Deck, outline: OutlineEntry[]): Promise<Uint8Array> {
  const size = ASPECT_RATIOS[deck.settings.aspectratio] ?? ASPECT_RATIOS['169']!
  // The PDF shows every slide in its final state: steps are for presenting the HTML.
  await page.addStyleTag({ content: '[data-bespoke-marp-fragment] { visibility: visible !important; }' })
  const notes = await page.evaluate(() =>
    [...document.querySelectorAll('.bespoke-marp-note[data-index]')].map((note) => ({
      index: Number(note.getAttribute('data-index')),
      text: (note as HTMLElement).innerText.trim(),
    })),
  )
  // beamer's paper in millimetres (160 x 90 mm at 16:9): the px canvas printed at that size.
  const paper = { width: (size.paperHeightMm * size.width) / size.height, height: size.paperHeightMm }
  const printed = await page.pdf({
    printBackground: true,
    width: `${paper.width}mm`,
    height: `${paper.height}mm`,
    scale: (paper.width * PX_PER_MM) / size.width,
    tagged: false,
    outline: false,
    timeout: 0,
  })
  const pdf = await PDFDocument.load(printed, { updateMetadata: false })
  // Chrome rounds the page up a fraction of a millimetre: the page box is set to the exact paper,
  // anchored at the top left where the slide is drawn (the content is not transformed).
  for (const pdfPage of pdf.getPages()) {
    const top = pdfPage.getMediaBox().height
    pdfPage.setMediaBox(0, top - paper.height * PT_PER_MM, paper.width * PT_PER_MM, paper.height * PT_PER_MM)
    pdfPage.setCropBox(0, top - paper.height * PT_PER_MM, paper.width * PT_PER_MM, paper.height * PT_PER_MM)
  }
  for (const { index, text } of notes) {
    const target = pdf.getPages()[index]
    if (!target || !text) continue
    // A text annotation flagged Hidden (2) and NoView (32): readers and tools get the notes, the
    // page shows no icon.
    const annotation = pdf.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [0, 0, 0, 0], Contents: PDFHexString.fromText(text), Name: 'Note', F: 2 | 32 })
    target.node.addAnnot(pdf.context.register(annotation))
  }
  setOutline(pdf, outline)
  const { settings } = deck
  if (settings.title) pdf.setTitle(settings.title)
  if (settings.author.length > 0) pdf.setAuthor(settings.author.join(', '))
  if (settings.subtitle) pdf.setSubject(settings.subtitle)
  pdf.setLanguage(settings.lang)
  pdf.setCreator('asyncio-pitfalls-deck (Marp)')
  pdf.setProducer('asyncio-pitfalls-deck (Marp)')
  return pdf.save()
}

export interface OutlineEntry {
  title: string
  /** 1-based page. */
  page: number
  children: OutlineEntry[]
}

/** Writes the outline tree into the PDF's catalog (pdf-lib has no API for it). */
function setOutline(pdf: PDFDocument, entries: OutlineEntry[]): void {
  if (entries.length === 0) return
  const pages = pdf.getPages()
  const rootRef = pdf.context.nextRef()
  const write = (items: OutlineEntry[], parent: PDFRef): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = items.map(() => pdf.context.nextRef())
    let count = items.length
    items.forEach((item, i) => {
      const fields: Record<string, unknown> = {
        Title: PDFHexString.fromText(item.title),
        Parent: parent,
        Dest: [pages[Math.min(Math.max(item.page - 1, 0), pages.length - 1)]!.ref, PDFName.of('Fit')],
      }
      if (i > 0) fields.Prev = refs[i - 1]
      if (i < items.length - 1) fields.Next = refs[i + 1]
      if (item.children.length > 0) {
        const children = write(item.children, refs[i]!)
        Object.assign(fields, { First: children.first, Last: children.last, Count: children.count })
        count += children.count
      }
      pdf.context.assign(refs[i]!, pdf.context.obj(fields as never))
    })
    return { first: refs[0]!, last: refs.at(-1)!, count }
  }
  const top = write(entries, rootRef)
  pdf.context.assign(rootRef, pdf.context.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: top.count }))
  pdf.catalog.set(PDFName.of('Outlines'), rootRef)
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'))
}
