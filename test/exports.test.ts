/**
 * What a build makes besides the PDF and the HTML, read as their users' tools read them: page labels
 * that group a slide's overlay pages and the .pdfpc file (pdfpc), the tagged PDF's structure
 * (pdf.js, as assistive technology walks it), --images (a picture per PDF page), --pptx (its XML, as
 * PowerPoint reads it), and the accessibility check's findings at their deck lines.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import JSZip from 'jszip'
import { PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { decode } from './helpers/png.ts'
import { runCli } from './helpers/cli.ts'

const DECK = `---
title: Exports
author: Ada
---

# Part

## Steps

First point.

. . .

Second point.

::: notes
Say the second point slowly.
:::

## Pictures

![A small test picture](img.png)

![](img.png)

## Faint

Readable text.

<span style="color: #c8c8c8">Faint words</span>

## Code

\`\`\`python
def main():
    print("hello")
\`\`\`

- a list item

##

Untitled slide.
`

let project: string
let build: { status: number | null; stderr: string }
const dist = () => path.join(project, 'dist')
beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-exports-'))
  mkdirSync(path.join(project, 'slides'))
  copyFileSync(path.join(import.meta.dirname, 'fixtures', 'figure', 'img.png'), path.join(project, 'slides', 'img.png'))
  writeFileSync(path.join(project, 'slides', 'talk.md'), DECK)
  build = await runCli(['build', 'slides/talk.md', '--out', 'dist', '--images', 'png', '--image-scale', '0.5', '--pptx'], { cwd: project })
}, 180_000)
afterAll(() => rmSync(project, { recursive: true, force: true }))

// title, section page, Steps (2 steps), Pictures, Faint, Code, the untitled slide
const PAGES = 8

async function openPdf() {
  return getDocument({ data: new Uint8Array(readFileSync(path.join(dist(), 'talk.pdf'))), verbosity: 0 }).promise
}

type StructNode = { role?: string; alt?: string; type?: string; children?: StructNode[] }
/** The roles of a page's structure tree, depth first (alt texts in brackets), without NonStruct. */
function roles(node: StructNode | null): string[] {
  if (!node) return []
  const own = node.role && node.role !== 'NonStruct' && node.role !== 'Root' ? [node.alt ? `${node.role}(${node.alt})` : node.role] : []
  return [...own, ...(node.children ?? []).flatMap(roles)]
}

describe('exports', () => {
  it('builds, with the accessibility findings as warnings at their deck lines', () => {
    expect(build.status, build.stderr).toBe(0)
    const warnings = build.stderr.split('\n').filter((line) => line.includes('(accessibility)'))
    expect(warnings).toHaveLength(3)
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^slides\/talk\.md:24:1 warning Slide 4 "Pictures": an image has no alt text/),
        expect.stringMatching(/^slides\/talk\.md:30:1 warning Slide 5 "Faint": text "Faint words" has a contrast of 1\.67:1 \(#c8c8c8 on #ffffff/),
        expect.stringMatching(/^slides\/talk\.md:41:1 warning Slide 7: the slide has no title/),
      ]),
    )
  })

  it('labels the PDF pages as beamer does (overlays share their frame\'s number) and writes the .pdfpc file', async () => {
    const pdf = await openPdf()
    expect(pdf.numPages).toBe(PAGES)
    expect(await pdf.getPageLabels()).toEqual(['1', '2', '3', '3', '4', '5', '6', '7'])
    await pdf.destroy()
    const pdfpc = JSON.parse(readFileSync(path.join(dist(), 'talk.pdfpc'), 'utf8')) as { pdfpcFormat: number; pages: Array<{ idx: number; label: string; overlay: number; note?: string }> }
    expect(pdfpc.pdfpcFormat).toBe(2)
    expect(pdfpc.pages.map((page) => [page.idx, page.label, page.overlay])).toEqual([[0, '1', 0], [1, '2', 0], [2, '3', 0], [3, '3', 1], [4, '4', 0], [5, '5', 0], [6, '6', 0], [7, '7', 0]])
    expect(pdfpc.pages.filter((page) => page.note).map((page) => [page.idx, page.note])).toEqual([[2, 'Say the second point slowly.'], [3, 'Say the second point slowly.']])
  })

  it('tags the PDF: marked, /Lang, a structure tree on every page, a heading per title, figures with alt text', async () => {
    const pdf = await openPdf()
    expect(await pdf.getMarkInfo()).toMatchObject({ Marked: true })
    const pages: string[][] = []
    for (let number = 1; number <= pdf.numPages; number++) pages.push(roles((await (await pdf.getPage(number)).getStructTree()) as StructNode | null))
    await pdf.destroy()
    for (const page of pages) expect(page[0]).toBe('Document')
    // the title page's title, the section's name, each frame title; the untitled slide has none
    expect(pages.map((page) => page.filter((role) => /^H\d$/.test(role)))).toEqual([['H1'], ['H1'], ['H2'], ['H2'], ['H2'], ['H2'], ['H2'], []])
    expect(pages[4]).toContain('Figure(A small test picture)')
    expect(pages[6]).toEqual(expect.arrayContaining(['H2', 'Code', 'L', 'LI']))
    // the headline's section names and dots are not content
    expect(pages.flat()).not.toContain('Link')
    const model = await PDFDocument.load(readFileSync(path.join(dist(), 'talk.pdf')))
    expect(model.catalog.lookup(PDFName.of('Lang'), PDFString, PDFHexString).decodeText()).toBe('en')
    expect(model.getTitle()).toBe('Exports')
  })

  it('gives the HTML a language and each slide a label a screen reader announces', () => {
    const html = readFileSync(path.join(dist(), 'talk.html'), 'utf8')
    expect(html).toMatch(/<html lang="en"/)
    const labels = [...html.matchAll(/<section\b[^>]*\baria-label="([^"]*)"/g)].map((match) => match[1])
    expect(labels).toEqual(['1: Exports', '2: Part', '3: Steps', '4: Pictures', '5: Faint', '6: Code', '7'])
    expect(html).toMatch(/<section\b[^>]*role="region"[^>]*aria-roledescription="slide"/)
  })

  it('writes a picture per PDF page, in order, with the page\'s aspect ratio', async () => {
    const files = readdirSync(path.join(dist(), 'talk')).sort()
    expect(files).toEqual(Array.from({ length: PAGES }, (_, index) => `talk.00${index + 1}.png`))
    const pdf = await openPdf()
    const [left, bottom, right, top] = (await pdf.getPage(1)).view as number[]
    await pdf.destroy()
    for (const file of files) {
      const png = decode(readFileSync(path.join(dist(), 'talk', file)))
      expect([png.width, png.height]).toEqual([640, 360])
      expect(png.width / png.height).toBeCloseTo((right! - left!) / (top! - bottom!), 2)
    }
    // the pictures are of different pages (the overlay's second step shows more)
    expect(readFileSync(path.join(dist(), 'talk', files[2]!)).equals(readFileSync(path.join(dist(), 'talk', files[3]!)))).toBe(false)
  })

  it('writes a PPTX with a slide per page, the notes, code as text in coloured runs, images with alt text', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(dist(), 'talk.pptx')))
    const read = (name: string) => zip.file(name)!.async('string')
    const slideFiles = Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name))
    expect(slideFiles).toHaveLength(PAGES)
    const presentation = await read('ppt/presentation.xml')
    expect([...presentation.matchAll(/<p:sldId\b/g)]).toHaveLength(PAGES)
    // beamer's paper: 160 x 90 mm in EMU (36000 per mm)
    expect(presentation).toMatch(/<p:sldSz cx="576\d{4}" cy="324\d{4}"/)
    const paragraphs = async (number: number) =>
      [...(await read(`ppt/slides/slide${number}.xml`)).matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)].map((match) => match[1]!)
    const text = (paragraph: string) => [...paragraph.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((match) => match[1]).join('')
    // the code slide: its title, each code line a paragraph of runs, the keyword in its colour
    const code = await paragraphs(7)
    expect(code.map(text)).toEqual(expect.arrayContaining(['Code', 'def main():', '    print(&quot;hello&quot;)', 'a list item']))
    const definition = code.find((paragraph) => text(paragraph) === 'def main():')!
    expect([...definition.matchAll(/<a:r>/g)].length).toBeGreaterThan(1)
    expect(new Set([...definition.matchAll(/<a:srgbClr val="([0-9A-F]{6})"/g)].map((match) => match[1])).size).toBeGreaterThan(1)
    expect(code.find((paragraph) => text(paragraph) === 'a list item')).toMatch(/<a:buChar /)
    // every paragraph has its properties once, first (as the schema wants: no repair prompt)
    for (const number of [1, 3, 4, 5, 6, 7, 8]) {
      for (const paragraph of await paragraphs(number)) {
        expect(paragraph.match(/<a:pPr\b/g)?.length ?? 0).toBeLessThanOrEqual(1)
        if (paragraph.includes('<a:pPr')) expect(paragraph.trimStart().startsWith('<a:pPr')).toBe(true)
      }
    }
    // each slide has its page's picture behind
    for (const file of slideFiles) expect(await read(file)).toMatch(/<p:bg><p:bgPr><a:blipFill/)
    // the pictures as pictures, the described one with its alt text
    const pictures = await read('ppt/slides/slide5.xml')
    expect([...pictures.matchAll(/<p:pic>/g)]).toHaveLength(2)
    expect(pictures).toMatch(/descr="A small test picture"/)
    // the notes of both pages of the slide with notes, in PowerPoint's notes
    const notes = await Promise.all([3, 4, 5].map((number) => read(`ppt/notesSlides/notesSlide${number}.xml`)))
    expect(notes.map((xml) => xml.includes('Say the second point slowly.'))).toEqual([true, true, false])
  })

  it('makes the findings errors with --strict-accessibility, and keeps dist/ as it was', async () => {
    const before = readFileSync(path.join(dist(), 'talk.pdf'))
    const strict = await runCli(['build', 'slides/talk.md', '--out', 'dist', '--strict-accessibility', '--force'], { cwd: project })
    expect(strict.status).toBe(1)
    expect(strict.stderr).toMatch(/slides\/talk\.md:\d+:1 error Slide \d.*\(accessibility\)/)
    expect(readFileSync(path.join(dist(), 'talk.pdf')).equals(before)).toBe(true)
  }, 120_000)

  it('says when the images and the PPTX of an earlier build are left beside a build that made none', async () => {
    const plain = await runCli(['build', 'slides/talk.md', '--out', 'dist', '--pdf', '--force'], { cwd: project })
    expect(plain.status).toBe(0)
    expect(plain.stderr).toMatch(/warning Left from an earlier build.*dist\/talk\.pptx \(--pptx\), the images in dist\/talk\/ \(--images\).*\(stale-export\)/)
  }, 120_000)
})
