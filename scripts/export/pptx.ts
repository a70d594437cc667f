/**
 * The PPTX: a slide per page of the PDF, at beamer's paper size, each with a picture of its page
 * behind (the headline, the title bar, blocks' frames, tables, maths: what cannot be text) and on
 * it, where the page drew them, the editable parts (browser/slide-layout.ts): text boxes with the
 * deck's fonts, colours and code highlighting as runs, images as images with their alt text. The
 * speaker notes are PowerPoint's notes. Written with pptxgenjs.
 */
import JSZip from 'jszip'
import pptxgenjs from 'pptxgenjs'
import type { SlideItem, TextParagraph } from '../browser/slide-layout.ts'

export interface PptxPage {
  /** A PNG of the page without its editable parts. */
  background: Uint8Array
  items: SlideItem[]
  notes?: string
}

export interface PptxOptions {
  /** The slide in CSS px (1280 x 720 at 16:9) and the paper in mm (160 x 90). */
  slide: { width: number; height: number }
  paper: { width: number; height: number }
  title?: string
  author?: string
  subject?: string
}

// The package's types are read as CommonJS (it has no "type": "module"), where its default export
// sits under `default`; Node's import gets the class itself.
type PptxGenJS = InstanceType<typeof pptxgenjs.default>
type TextProps = Exclude<Parameters<ReturnType<PptxGenJS['addSlide']>['addText']>[0], string>[number]
const PptxGenJS = ((pptxgenjs as unknown as { default?: unknown }).default ?? pptxgenjs) as typeof pptxgenjs.default

const MM_PER_INCH = 25.4

export async function writePptx(pages: PptxPage[], options: PptxOptions): Promise<Uint8Array> {
  const pptx = new PptxGenJS()
  const inches = { width: options.paper.width / MM_PER_INCH, height: options.paper.height / MM_PER_INCH }
  pptx.defineLayout({ name: 'BEAMER', ...inches })
  pptx.layout = 'BEAMER'
  if (options.title) pptx.title = options.title
  if (options.author) pptx.author = options.author
  if (options.subject) pptx.subject = options.subject
  pptx.company = ''
  // px of the slide -> inches and pt
  const inch = inches.width / options.slide.width
  const pt = inch * 72
  const round = (value: number, digits = 3) => Number(value.toFixed(digits))
  const place = (item: { x: number; y: number; width: number; height: number }) => ({
    x: round(item.x * inch),
    y: round(item.y * inch),
    w: round(Math.max(item.width, 1) * inch),
    h: round(Math.max(item.height, 1) * inch),
  })
  for (const page of pages) {
    const slide = pptx.addSlide()
    slide.background = { data: `image/png;base64,${Buffer.from(page.background).toString('base64')}` }
    for (const item of page.items) {
      if (item.kind === 'image') {
        slide.addImage({ data: item.src.replace(/^data:/, ''), ...place(item), altText: item.alt })
        continue
      }
      // A box a little wider than drawn: PowerPoint's text metrics differ from the browser's, and
      // a line that wrapped there would wrap here.
      const box = place({ ...item, width: item.width * 1.04 + 2 })
      slide.addText(runsOf(item.paragraphs, pt), {
        ...box,
        margin: 0,
        valign: 'top',
        align: item.align,
        fit: 'none',
        isTextBox: true,
        ...(item.lineHeight ? { lineSpacing: Number((item.lineHeight * pt).toFixed(1)) } : {}),
        ...(item.fill ? { fill: { color: item.fill.slice(1) } } : {}),
      })
    }
    if (page.notes) slide.addNotes(page.notes)
  }
  const written = (await pptx.write({ outputType: 'nodebuffer', compression: false })) as Uint8Array
  return repairParagraphs(written)
}

/**
 * pptxgenjs writes a paragraph's properties (`<a:pPr>`) before each of its runs, where the schema
 * allows one, first: a paragraph of several runs (a code line's coloured tokens) would make
 * PowerPoint offer to repair the file. Each paragraph keeps its first.
 */
async function repairParagraphs(pptx: Uint8Array): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(pptx)
  for (const name of Object.keys(zip.files).filter((file) => /^ppt\/slides\/slide\d+\.xml$/.test(file))) {
    const xml = await zip.file(name)!.async('string')
    const fixed = xml.replace(/<a:p>([\s\S]*?)<\/a:p>/g, (_, body: string) => {
      let first = true
      return `<a:p>${body.replace(/<a:pPr\b[^>]*?(?:\/>|>[\s\S]*?<\/a:pPr>)/g, (properties) => (first ? ((first = false), properties) : ''))}</a:p>`
    })
    zip.file(name, fixed)
  }
  // Everything compressed, the pictures too (Chromium's fast PNGs shrink by a third).
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' })
}

/** pptxgenjs' text runs: a paragraph ends with a line break; list items are bullets or numbers. */
function runsOf(paragraphs: TextParagraph[], pt: number): TextProps[] {
  const runs: TextProps[] = []
  paragraphs.forEach((paragraph, index) => {
    const last = index === paragraphs.length - 1
    const parts = paragraph.runs.length > 0 ? paragraph.runs : [{ text: '', color: '#000000', bold: false, italic: false, font: '', size: paragraph.runs[0]?.size ?? 12 }]
    parts.forEach((run, position) => {
      const first = position === 0
      runs.push({
        text: run.text,
        options: {
          color: run.color.slice(1),
          bold: run.bold,
          italic: run.italic,
          ...(run.font ? { fontFace: run.font } : {}),
          fontSize: Number((run.size * pt).toFixed(1)),
          ...(first && paragraph.bullet ? { bullet: paragraph.bullet.numbered ? { type: 'number' as const } : true, indentLevel: paragraph.bullet.level } : {}),
          ...(position === parts.length - 1 && !last ? { breakLine: true } : {}),
        },
      })
    })
  })
  return runs
}
