/**
 * What code talks need, end to end: numbered lines from `startFrom`, highlighted lines step by
 * step (fragments in the HTML, pages in the PDF), beamer's page count for overlays (and handout
 * mode), alert and example blocks, the PDF outline with and without section pages, the code font,
 * the page size in millimetres and notes without an icon.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PDFDict, PDFDocument, PDFName, PDFNumber } from 'pdf-lib'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { highlight } from '../scripts/render/highlight.ts'
import { runCli } from './helpers/cli.ts'
import { readPdf } from './helpers/pdf.ts'
import { screenshotSlides, withPage } from './helpers/browser.ts'
import { decode, pixel } from './helpers/png.ts'

const DECK = (frontMatter: string) =>
  [
    '---', 'title: Overlays', 'colortheme: crane', frontMatter, '---', '',
    '# Pauses', '', '## Three steps', '', 'First.', '', '. . .', '', 'Second.', '', '\\pause', '', 'Third, \\alert{alerted}.', '',
    '::: notes', 'Say *this*.', ':::', '',
    '## A list', '', '::: incremental', '- one', '- two', '- three', ':::', '',
    '# Code', '', '## Highlighted', '',
    '```{.python .numberLines startFrom=5 highlight="1|2-3"}', 'a = 1', 'b = 2', 'c = 3', '```', '',
    '### Careful {.alert}', '', 'Alert body.', '', '### Good {.example}', '', 'Example body.', '',
  ].join('\n')

let work: string
const built = (name: string) => path.join(work, name, 'dist', 'talk')

async function build(name: string, frontMatter: string): Promise<void> {
  const dir = path.join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'talk.md'), DECK(frontMatter))
  const result = await runCli(['build', 'talk.md', '--out', 'dist', '--force'], { cwd: dir })
  expect(result.status, result.stderr).toBe(0)
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-overlays-'))
  await build('sections', 'section-titles: true')
  await build('plain', 'section-titles: false')
  await build('handout', 'section-titles: false\nhandout: true')
  await build('four-three', 'section-titles: false\naspectratio: 43')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('overlays in the PDF', () => {
  it('one page per step, as beamer: pauses, list items and highlight steps', async () => {
    const { pages } = await readPdf(`${built('plain')}.pdf`)
    // title, 3 pause steps, 3 list steps, 2 highlight steps
    expect(pages).toHaveLength(9)
    const text = pages.map((page) => page.items.map((item) => item.text).join(' ').replace(/\s+/g, ' '))
    expect(text[1]).toContain('First.')
    expect(text[1]).not.toContain('Second.')
    expect(text[2]).toContain('Second.')
    expect(text[2]).not.toContain('Third')
    expect(text[3]).toMatch(/Third, alerted ?\./)
    expect([4, 5, 6].map((page) => ['one', 'two', 'three'].filter((item) => text[page]!.includes(item)))).toEqual([['one'], ['one', 'two'], ['one', 'two', 'three']])
    const sectioned = await readPdf(`${built('sections')}.pdf`)
    expect(sectioned.pages).toHaveLength(11)
  })

  it('handout: true gives one page per slide, in its final state', async () => {
    const { pages } = await readPdf(`${built('handout')}.pdf`)
    expect(pages).toHaveLength(4)
    expect(pages[1]!.items.map((item) => item.text).join(' ')).toContain('Second.')
    expect(pages[2]!.items.map((item) => item.text).join(' ')).toContain('three')
  })

  it('headline links go to the first page of each slide', async () => {
    const html = readFileSync(`${built('plain')}.html`, 'utf8')
    expect(html).toContain('href="#3"')
    // on page 3 (the second step of the first slide): the section names link to pages 2 and 8, and
    // the current section's dots (only those are links) to the pages where its slides start, 2 and 5
    const doc = await getDocument({ data: new Uint8Array(readFileSync(`${built('plain')}.pdf`)), verbosity: 0 }).promise
    const targets = new Set<number>()
    for (const link of (await (await doc.getPage(3)).getAnnotations()).filter((a) => a.subtype === 'Link')) {
      const dest = typeof link.dest === 'string' ? await doc.getDestination(link.dest) : link.dest
      if (dest) targets.add((await doc.getPageIndex(dest[0])) + 1)
    }
    await doc.destroy()
    expect([...targets].sort((a, b) => a - b)).toEqual([2, 5, 8])
  })
})

describe('code', () => {
  it('numbers lines from startFrom, in the HTML and the PDF', async () => {
    const html = readFileSync(`${built('plain')}.html`, 'utf8')
    expect(html).toMatch(/class="line hl-1" data-n="5">/)
    expect(html).toMatch(/data-n="7">/)
    const { pages } = await readPdf(`${built('plain')}.pdf`)
    const text = pages[7]!.items.map((item) => item.text).join('').replace(/\s+/g, '')
    expect(text).toContain('5a=16b=27c=3')
  })

  it('highlights the lines of each step, one key press at a time in the HTML', async () => {
    await withPage(async (page) => {
      await page.setViewport({ width: 1280, height: 720 })
      await page.goto(`${pathToFileURL(`${built('plain')}.html`).href}#4`, { waitUntil: 'load' })
      const highlighted = () =>
        page.evaluate(`[...document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section')[3].querySelectorAll(':is(pre, marp-pre) .line')].map((line) => getComputedStyle(line).backgroundColor !== 'rgba(0, 0, 0, 0)')`)
      expect(await highlighted()).toEqual([true, false, false])
      await page.keyboard.press('ArrowRight')
      expect(await highlighted()).toEqual([false, true, true])
      // the markers themselves never show
      expect(await page.evaluate(`[...document.querySelectorAll('.hl-step')].every((marker) => marker.getBoundingClientRect().width === 0)`)).toBe(true)
    })
  })

  it('a PDF page per highlight step, each with its own lines highlighted', () => {
    const code = 'a = 1\nb = 2\nc = 3\n'
    const first = highlight(code, 'text', 'steps=1|2,3 show=1')
    const second = highlight(code, 'text', 'steps=1|2,3 show=2')
    const lines = (html: string) => [...html.matchAll(/<span class="line( hl)?"/g)].map((match) => match[1] === ' hl')
    expect(lines(first)).toEqual([true, false, false])
    expect(lines(second)).toEqual([false, true, true])
    expect(first).not.toContain('data-marpit-fragment')
  })
})

describe('blocks and alerted text', () => {
  it('alert and example blocks in the colour theme\'s colours, \\alert in its alerted colour', async () => {
    // Slide 4, "Highlighted", holds the blocks.
    const [shot] = await screenshotSlides(`${built('plain')}.html`, [4])
    const png = decode(shot!)
    const colours = new Set(Array.from({ length: 500 }, (_, y) => pixel(png, 13 * 8, 150 + y)))
    // crane: alertblock title #FF4040 over #FFCFCF, exampleblock #409F40 over #CFE7CF
    for (const colour of ['#ff4040', '#ffcfcf', '#409f40', '#cfe7cf']) expect(colours).toContain(colour)
    const html = readFileSync(`${built('plain')}.html`, 'utf8')
    expect(html).toContain('<span class="alert">alerted</span>')
  })
})

describe('the PDF file', () => {
  it('has an outline of sections and their slides, with or without section pages, without blocks', async () => {
    const expected = [
      { title: 'Pauses', items: [{ title: 'Three steps', items: [] }, { title: 'A list', items: [] }] },
      { title: 'Code', items: [{ title: 'Highlighted', items: [] }] },
    ]
    expect((await readPdf(`${built('plain')}.pdf`)).outline).toEqual(expected)
    expect((await readPdf(`${built('sections')}.pdf`)).outline).toEqual(expected)
  })

  it('pages in beamer\'s millimetres: 160 x 90 mm at 16:9, 128 x 96 mm at 4:3', async () => {
    const size = async (name: string) => (await PDFDocument.load(readFileSync(`${built(name)}.pdf`))).getPages()[0]!.getSize()
    const wide = await size('plain')
    expect(wide.width).toBeCloseTo(453.54, 1)
    expect(wide.height).toBeCloseTo(255.12, 1)
    const narrow = await size('four-three')
    expect(narrow.width).toBeCloseTo(362.83, 1)
    expect(narrow.height).toBeCloseTo(272.13, 1)
  })

  it('embeds the code font, CMU Typewriter Text (Latin Modern Mono\'s design)', async () => {
    const pdf = await PDFDocument.load(readFileSync(`${built('plain')}.pdf`))
    const fonts = pdf.context
      .enumerateIndirectObjects()
      .flatMap(([, object]) => (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Font') ? [String(object.get(PDFName.of('BaseFont')))] : []))
    expect(fonts.some((name) => name.includes('CMUTypewriter'))).toBe(true)
  })

  it('keeps notes as annotations that are never drawn (no icon)', async () => {
    const pdf = await PDFDocument.load(readFileSync(`${built('plain')}.pdf`))
    const notes = pdf.getPages().flatMap((page) => {
      const annotations = page.node.Annots()
      return annotations ? annotations.asArray().map((_, index) => annotations.lookup(index, PDFDict)).filter((a) => a.get(PDFName.of('Subtype')) === PDFName.of('Text')) : []
    })
    expect(notes.length).toBeGreaterThan(0)
    for (const note of notes) expect((note.lookup(PDFName.of('F'), PDFNumber).asNumber() & 2) !== 0).toBe(true)
  })
})
