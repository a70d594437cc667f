/** Reads text and outlines from PDFs with pdf.js, for end-to-end tests. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

export interface PageText {
  /** Text items with their baseline as a fraction of the page height from the top. */
  items: Array<{ text: string; top: number; left: number }>
}

interface ReadPdf {
  pages: PageText[]
  outline: OutlineItem[]
}

/** What a worker's tests read of one PDF's bytes, read once (several tests look at one build's PDF). */
const read = new Map<string, Promise<ReadPdf>>()

/** The text of each page and the outline of a PDF (the same object for the same bytes: read only). */
export function readPdf(file: string): Promise<ReadPdf> {
  const data = readFileSync(file)
  const key = createHash('sha256').update(data).digest('hex')
  let result = read.get(key)
  if (!result) read.set(key, (result = parsePdf(data)))
  return result
}

async function parsePdf(data: Buffer): Promise<ReadPdf> {
  const doc = await getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise
  const pages: PageText[] = []
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number)
    const [, , width, height] = page.view as [number, number, number, number]
    const content = await page.getTextContent()
    const items = content.items.flatMap((item) =>
      'str' in item && item.str.trim() !== ''
        ? [{ text: item.str, top: 1 - (item.transform[5] as number) / height, left: (item.transform[4] as number) / width }]
        : [],
    )
    pages.push({ items })
  }
  const outline = ((await doc.getOutline()) ?? []).map(simplifyOutline)
  await doc.destroy()
  return { pages, outline }
}

export interface OutlineItem {
  title: string
  items: OutlineItem[]
}

function simplifyOutline(item: { title: string; items: unknown[] }): OutlineItem {
  return { title: item.title, items: (item.items as Array<{ title: string; items: unknown[] }>).map(simplifyOutline) }
}

/**
 * The frame title of each page: the text whose baseline lies in beamer's title bar
 * (5.45 to 12 mm of 90 mm from the top, the same fraction in our 16:9 pages), without spaces.
 */
export function frameTitles(pages: PageText[]): string[] {
  return pages.map((page) =>
    page.items
      .filter((item) => item.top > 0.065 && item.top < 0.13)
      .map((item) => item.text)
      .join('')
      .replace(/\s+/g, ''),
  )
}
