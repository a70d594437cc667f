/**
 * The Frankfurt theme as a user sees it: the headline of every slide, links that go where they
 * say in HTML and PDF, colour themes and aspect ratios, no slide silently clipped, and renders of
 * chosen slides compared with stored images.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { runCli, shared } from './helpers/cli.ts'
import { headlineClicks, headlineOf, screenshotSlides } from './helpers/browser.ts'
import { compareWithStored, decode, pixel } from './helpers/png.ts'

let work: string
const seedHtml = () => path.join(work, 'seed', '00-seed_m-hegele_asyncio.html')
const seedPdf = () => path.join(work, 'seed', '00-seed_m-hegele_asyncio.pdf')
/** The original deck's sections and how many slides each has (reference/frankfurt-crane.md §3). */
const SECTIONS = [10, 0, 0, 2, 15]
const firstSlideOf = (section: number) => 3 + SECTIONS.slice(0, section).reduce((a, b) => a + b, 0)

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-theme-'))
  const result = await runCli(['build', shared('corpus', 'pandoc-beamer', '00-seed_m-hegele_asyncio.md'), '--out', path.join(work, 'seed'), '--force'])
  expect(result.status, result.stderr).toBe(0)
  expect(result.stderr).not.toContain('(overflow)')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('headline', () => {
  it('on slide N of section S: S highlighted, a dot per slide of each section, one filled at position N within S', async () => {
    const slides = await headlineOf(seedHtml())
    expect(slides).toHaveLength(29)
    slides.forEach((slide, index) => {
      const page = index + 1
      expect(slide.counts, `slide ${page}`).toEqual(SECTIONS)
      const filled = slide.dots.filter((dot) => dot.current)
      if (page <= 2) {
        // title and contents come before the first section: no current section, no dot links
        expect(slide.current).toEqual([])
        expect(slide.dots).toEqual([])
        return
      }
      const section = SECTIONS.findIndex((_, s) => page >= firstSlideOf(s) && page < firstSlideOf(s) + SECTIONS[s]!)
      expect(slide.current, `slide ${page}`).toEqual([section])
      // the current section's dots are links to their slides, one of them filled
      expect(slide.dots.map((dot) => dot.href)).toEqual(Array.from({ length: SECTIONS[section]! }, (_, i) => `#${firstSlideOf(section) + i}`))
      expect(filled, `slide ${page}`).toHaveLength(1)
      expect(filled[0]).toMatchObject({ section, position: page - firstSlideOf(section) + 1, href: `#${page}` })
    })
  })

  it('clicking any dot in the HTML shows that dot\'s slide, also in another section', async () => {
    expect(await headlineClicks(seedHtml(), [[20, 0, 4], [5, 4, 15], [5, 0, 9]])).toEqual([6, 29, 11])
  })

  it('section names link to the first slide of their section in the HTML', async () => {
    const [title] = await headlineOf(seedHtml())
    // empty sections link to where the next section starts, as beamer does
    expect(title?.names).toEqual(['#3', '#13', '#13', '#13', '#15'])
  })

  it('clicking a section name in the HTML shows that section\'s first slide', async () => {
    expect(await headlineClicks(seedHtml(), [[20, 0], [5, 4], [5, 3]])).toEqual([3, 15, 13])
  })

  it('section names and the current section\'s dots are links to the right pages in the PDF', async () => {
    const doc = await getDocument({ data: new Uint8Array(readFileSync(seedPdf())), verbosity: 0 }).promise
    const page = await doc.getPage(20)
    const links = (await page.getAnnotations()).filter((a) => a.subtype === 'Link')
    const targets: number[] = []
    for (const link of links) {
      const dest = typeof link.dest === 'string' ? await doc.getDestination(link.dest) : link.dest
      targets.push((await doc.getPageIndex(dest[0])) + 1)
    }
    // five section names, then the 15 dots of the current section (pages 15 to 29), in reading order
    const sorted = links.map((link, i) => ({ x: link.rect[0], y: -link.rect[1], page: targets[i] })).sort((a, b) => a.y - b.y || a.x - b.x)
    expect(sorted.slice(0, 5).map((item) => item.page)).toEqual([3, 13, 13, 13, 15])
    expect(sorted.slice(5).map((item) => item.page)).toEqual(Array.from({ length: 15 }, (_, i) => 15 + i))
    await doc.destroy()
  })
})

describe('overflow check', () => {
  const deck = [
    '---', 'title: Overflow', '---', '', '# S', '', '## Fits', '', 'Short.', '',
    '## Long code', '', '```python', ...Array.from({ length: 60 }, (_, i) => `line_${i} = ${i}`), '```', '',
    '## Wide table', '', `| ${Array.from({ length: 14 }, (_, i) => `column header ${i}`).join(' | ')} |`, `|${'---|'.repeat(14)}`, `| ${Array.from({ length: 14 }, (_, i) => `v${i}`).join(' | ')} |`, '',
    '## Long list', '', ...Array.from({ length: 30 }, (_, i) => `- item ${i}`), '',
  ].join('\n')

  it('names each clipped slide with its number and title, and the block\'s deck line, and fails the build', async () => {
    const dir = path.join(work, 'overflow')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'talk.md'), deck)
    const result = await runCli(['build', 'talk.md', '--html', '--out', 'dist'], { cwd: dir })
    expect(result.status).toBe(1)
    const errors = result.stderr.split('\n').filter((line) => line.includes('(overflow)'))
    expect(errors).toHaveLength(3)
    expect(errors[0]).toMatch(/^talk\.md:13:1 error Slide 4 "Long code" does not fit: code block .* goes below the slide/)
    expect(errors[1]).toMatch(/^talk\.md:78:1 error Slide 5 "Wide table" does not fit: table .* goes beside the slide/)
    expect(errors[2]).toMatch(/^talk\.md:84:1 error Slide 6 "Long list" does not fit: list .* goes below the slide/)
    const allowed = await runCli(['build', 'talk.md', '--html', '--out', 'dist', '--allow-overflow'], { cwd: dir })
    expect(allowed.status).toBe(0)
    expect(allowed.stderr).toMatch(/talk\.md:13:1 warning Slide 4 "Long code" does not fit/)
  })
})

describe('colour themes and aspect ratios', () => {
  const variants: Array<[string, string, { band: string; bar: string; blockTitle: string; width: number }]> = [
    ['crane', '169', { band: '#fcbb06', bar: '#fdcf51', blockTitle: '#fcbb06', width: 1280 }],
    ['beaver', '169', { band: '#f9f9f9', bar: '#f2f2f2', blockTitle: '#262686', width: 1280 }],
    ['default', '169', { band: '#000000', bar: '#3333b3', blockTitle: '#262686', width: 1280 }],
    ['crane', '43', { band: '#fcbb06', bar: '#fdcf51', blockTitle: '#fcbb06', width: 960 }],
    ['beaver', '43', { band: '#f9f9f9', bar: '#f2f2f2', blockTitle: '#262686', width: 960 }],
    ['default', '43', { band: '#000000', bar: '#3333b3', blockTitle: '#262686', width: 960 }],
  ]
  it.each(variants)('%s at %s renders with its own colours and size', async (colortheme, aspectratio, expected) => {
    const dir = path.join(work, `${colortheme}-${aspectratio}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      path.join(dir, 'talk.md'),
      `---\ntitle: Colours\ncolortheme: ${colortheme}\naspectratio: ${aspectratio}\nsection-titles: false\n---\n\n# Section\n\n## A slide with a block\n\nText.\n\n### Block title\n\n- item\n`,
    )
    const result = await runCli(['build', 'talk.md', '--out', 'dist'], { cwd: dir })
    expect(result.status, result.stderr).toBe(0)
    const pdf = await getDocument({ data: new Uint8Array(readFileSync(path.join(dir, 'dist', 'talk.pdf'))), verbosity: 0 }).promise
    // beamer's paper: 160 x 90 mm at 16:9, 128 x 96 mm at 4:3 (the page box need not start at 0)
    const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = (await pdf.getPage(1)).view as number[]
    const toMm = (points: number) => (points * 25.4) / 72
    expect([toMm(x2 - x1), toMm(y2 - y1)].map((value) => Number(value.toFixed(2)))).toEqual(expected.width === 1280 ? [160, 90] : [128, 96])
    const [shot] = await screenshotSlides(path.join(dir, 'dist', 'talk.html'), [2], { width: expected.width, height: 720 })
    const png = decode(shot!)
    expect(png.width).toBe(expected.width)
    const mm = expected.width === 1280 ? 8 : 7.5
    expect(pixel(png, png.width / 2, 2 * mm)).toBe(expected.band)
    expect(pixel(png, png.width - 10, 8 * mm)).toBe(expected.bar)
    // the block's title bar: find it by scanning down the left text edge
    const colours = Array.from({ length: 600 }, (_, y) => pixel(png, 11 * mm, 100 + y))
    expect(colours).toContain(expected.blockTitle)
    await pdf.destroy()
  })
})

describe('code', () => {
  it('shows a tab to the next 4-column stop, as pandoc expands it (--tab-stop 4)', async () => {
    const dir = path.join(work, 'tabs')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'talk.md'), '## Tabs\n\n```text\n\tTAB\n    FOUR\nab\tABTAB\nab  ABFOUR\n```\n')
    const result = await runCli(['build', 'talk.md', '--pdf', '--out', 'dist'], { cwd: dir })
    expect(result.status, result.stderr).toBe(0)
    const pdf = await getDocument({ data: new Uint8Array(readFileSync(path.join(dir, 'dist', 'talk.pdf'))), verbosity: 0 }).promise
    const items = (await (await pdf.getPage(pdf.numPages)).getTextContent()).items as Array<{ str: string; transform: number[]; width: number }>
    // Where each word starts on its line: the x of the item's start plus the width of what precedes it.
    const xOf = (word: string) => {
      const item = items.find((candidate) => candidate.str.includes(word))!
      const before = item.str.slice(0, item.str.indexOf(word)).replace(/\t/g, '')
      return item.transform[4]! + (item.width * before.length) / item.str.replace(/\t/g, '').length
    }
    expect(Math.abs(xOf('TAB') - xOf('FOUR'))).toBeLessThan(0.5)
    expect(Math.abs(xOf('ABTAB') - xOf('ABFOUR'))).toBeLessThan(0.5)
  })
})

describe('renders compared with stored images', () => {
  const chosen: Array<[string, number]> = [
    ['title', 1], ['toc', 2], ['code', 4], ['columns-code', 5], ['blocks', 17], ['listings', 18], ['table', 19],
    ['two-pictures', 21], ['lists', 22], ['three-columns', 25], ['image-table', 28], ['fancy-layout', 29],
  ]
  it('look as stored (pixelmatch, under 0.5% of pixels differ)', async () => {
    const shots = await screenshotSlides(seedHtml(), chosen.map(([, page]) => page))
    const results = chosen.map(([name], index) => ({ name, ...compareWithStored(`seed-${name}`, shots[index]!) }))
    for (const result of results) expect(result.ratio, `${result.name} differs: see test/visual/diff/seed-${result.name}.png`).toBeLessThan(0.005)
  })
})
