/**
 * The PDF as beamer makes it, after Chromium printed it: pages in millimetres (160 x 90 mm at
 * 16:9, 128 x 96 mm at 4:3), an outline of sections and their slides (whether section pages
 * are on or not, and never block titles), and speaker notes kept as annotations but hidden, so
 * that no note icon shows on a page.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFPage } from 'pdf-lib'

const MM_TO_PT = 72 / 25.4

export interface OutlineEntry {
  title: string
  /** 1-based page. */
  page: number
  children: OutlineEntry[]
}

export interface PdfFinish {
  /** Paper size in mm. */
  paper: { width: number; height: number }
  outline: OutlineEntry[]
}

export async function finishPdf(file: string, finish: PdfFinish): Promise<void> {
  const pdf = await PDFDocument.load(readFileSync(file))
  const width = finish.paper.width * MM_TO_PT
  const height = finish.paper.height * MM_TO_PT
  for (const page of pdf.getPages()) {
    scalePage(page, width, height)
    hideNotes(page)
  }
  writeOutline(pdf, finish.outline)
  writeFileSync(file, await pdf.save())
}

/**
 * Scales a page to `width` x `height` pt. The printed content becomes a form drawn scaled: the
 * gradients Chromium paints as patterns live in the coordinate space of the content that uses
 * them, which a form carries along (a scale in the page's own content would leave them behind).
 */
function scalePage(page: PDFPage, width: number, height: number): void {
  const { context } = page.doc
  const { width: fromWidth, height: fromHeight } = page.getSize()
  const contents = page.node.Contents()
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => context.lookup(ref)) : [contents]
  const parts = streams.filter((stream): stream is PDFRawStream => stream instanceof PDFRawStream).map((stream) => decodePDFRawStream(stream).decode())
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length + 1, 0))
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    bytes[at + part.length] = 0x0a
    at += part.length + 1
  }
  const form = context.flateStream(bytes, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, fromWidth, fromHeight], Resources: page.node.Resources() })
  page.node.set(PDFName.of('Resources'), context.obj({ XObject: { Printed: context.register(form) } }))
  const sx = width / fromWidth
  const sy = height / fromHeight
  page.node.set(PDFName.of('Contents'), context.register(context.flateStream(`q ${sx.toFixed(6)} 0 0 ${sy.toFixed(6)} 0 0 cm /Printed Do Q`)))
  page.setSize(width, height)
  page.scaleAnnotations(sx, sy)
}

/** Text annotations (Marp's notes) get the Hidden and NoView flags: kept, never drawn. */
function hideNotes(page: PDFPage): void {
  const annotations = page.node.Annots()
  if (!annotations) return
  for (let index = 0; index < annotations.size(); index++) {
    const annotation = annotations.lookup(index, PDFDict)
    if (annotation.get(PDFName.of('Subtype')) === PDFName.of('Text')) annotation.set(PDFName.of('F'), PDFNumber.of(2 | 32))
  }
}

/** Replaces the document's outline with `entries` (each opening at its page, fitted). */
function writeOutline(pdf: PDFDocument, entries: OutlineEntry[]): void {
  const pages = pdf.getPages()
  const root = pdf.context.obj({ Type: 'Outlines' })
  const rootRef = pdf.context.register(root)
  const add = (parent: PDFDict, parentRef: PDFRef, items: OutlineEntry[]): number => {
    const refs = items.map(() => pdf.context.nextRef())
    let count = 0
    items.forEach((item, index) => {
      const page = pages[Math.min(Math.max(item.page, 1), pages.length) - 1]!
      const dict = pdf.context.obj({})
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title))
      dict.set(PDFName.of('Parent'), parentRef)
      dict.set(PDFName.of('Dest'), pdf.context.obj([page.ref, PDFName.of('Fit')]) as PDFArray)
      if (index > 0) dict.set(PDFName.of('Prev'), refs[index - 1]!)
      if (index < items.length - 1) dict.set(PDFName.of('Next'), refs[index + 1]!)
      const children = add(dict, refs[index]!, item.children)
      // Sections start open (a positive count), as beamer's bookmarks.
      if (children > 0) dict.set(PDFName.of('Count'), PDFNumber.of(children))
      pdf.context.assign(refs[index]!, dict)
      count += 1 + children
    })
    if (refs.length > 0) {
      parent.set(PDFName.of('First'), refs[0]!)
      parent.set(PDFName.of('Last'), refs[refs.length - 1]!)
    }
    return count
  }
  const count = add(root, rootRef, entries)
  root.set(PDFName.of('Count'), PDFNumber.of(count))
  if (entries.length > 0) pdf.catalog.set(PDFName.of('Outlines'), rootRef)
  else pdf.catalog.delete(PDFName.of('Outlines'))
}
