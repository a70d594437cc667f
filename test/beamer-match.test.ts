/**
 * The original deck against pandoc + beamer's own renders (../shared/reference/): every page of
 * crane at 16:9, and the pages rendered for beaver, default and crane at 4:3, compared pixel by
 * pixel as `compare -metric AE -fuzz 10%` counts. beamer's page 3 (an empty frame pandoc opens
 * for an HTML comment) has no counterpart here: our page N is beamer's N + 1 from there on.
 *
 * What is compared is the page the PDF is printed from: the build's HTML laid out for print in the
 * pinned Chromium (the build prints the PDF from that same layout, in that browser), captured at the
 * reference's width. Rasterising the PDF itself needs poppler (pdftoppm), which only the machine
 * may have; at 16:9 its figures for the same build are within about 0.2 points of these (the
 * rasterisers anti-alias glyphs differently).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, seedDeck, shared } from './helpers/cli.ts'
import { screenshotPrinted } from './helpers/browser.ts'
import { fuzzDifferences } from './helpers/png.ts'

let work: string
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-beamer-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/**
 * The target for crane 16:9: a mean of at most 3 % and no page above 10 %. The other
 * references are held at the figures reached (2.9 %, 3.2 %, 3.1 %), so that nothing slips back.
 * What is left is mostly glyph rendering (CMU Typewriter Text against lmmono, Fira Code's
 * versions), code that Marp shrinks into its column where beamer lets it run past (p.6-7), and
 * the depth of a frame's last line, which beamer's vertical centring counts (p.30).
 */
const PAGE_LIMIT = 0.1

const variants: Array<{ name: string; folder: string; change?: [RegExp, string]; width: number; meanLimit: number }> = [
  { name: 'crane 16:9', folder: 'beamer', width: 1280, meanLimit: 0.03 },
  { name: 'beaver 16:9', folder: 'beamer-beaver', change: [/^colortheme: .*$/m, 'colortheme: "beaver"'], width: 1280, meanLimit: 0.03 },
  { name: 'default 16:9', folder: 'beamer-default', change: [/^colortheme: .*$/m, 'colortheme: "default"'], width: 1280, meanLimit: 0.033 },
  { name: 'crane 4:3', folder: 'beamer-crane-43', change: [/^aspectratio: .*$/m, 'aspectratio: 43'], width: 960, meanLimit: 0.032 },
]

describe('pages against pandoc + beamer', () => {
  it.each(variants)('$name: mean difference at most $meanLimit, no page above 10 %', async ({ folder, change, width, meanLimit }) => {
    const reference = shared('reference', folder)
    const dir = path.join(work, folder)
    mkdirSync(dir, { recursive: true })
    // The deck as the reference was made: the seed with one front matter line changed, its image beside it.
    let source = readFileSync(seedDeck, 'utf8')
    if (change) source = source.replace(change[0], change[1])
    writeFileSync(path.join(dir, 'deck.md'), source)
    mkdirSync(path.join(dir, 'img'), { recursive: true })
    for (const image of readdirSync(path.join(path.dirname(seedDeck), 'img'))) {
      writeFileSync(path.join(dir, 'img', image), readFileSync(path.join(path.dirname(seedDeck), 'img', image)))
    }
    // Code that runs off a 4:3 page is beamer's behaviour too: overflow is not what is measured here.
    const result = await runCli(['build', 'deck.md', '--html', '--out', 'dist', '--allow-overflow', '--force'], { cwd: dir })
    expect(result.status, result.stderr).toBe(0)
    const pages = readdirSync(reference)
      .map((name) => /^page-(\d+)\.png$/.exec(name))
      .flatMap((match) => (match && match[1] !== '03' ? [Number(match[1])] : []))
      .sort((a, b) => a - b)
    const shots = await screenshotPrinted(path.join(dir, 'dist', 'deck.html'), pages.map((page) => (page < 3 ? page : page - 1)), { width, height: 720 })
    const figures = await fuzzDifferences(pages.map((page, index) => [readFileSync(path.join(reference, `page-${String(page).padStart(2, '0')}.png`)), shots[index]!]))
    const differences = pages.map((page, index) => ({ page, difference: figures[index]! }))
    const mean = differences.reduce((sum, { difference }) => sum + difference, 0) / differences.length
    const report = differences.map(({ page, difference }) => `p${page} ${(difference * 100).toFixed(1)}%`).join(', ')
    console.info(`${folder}: mean ${(mean * 100).toFixed(2)}% (${report})`)
    expect(mean, report).toBeLessThanOrEqual(meanLimit)
    for (const { page, difference } of differences) expect(difference, `page ${page}: ${report}`).toBeLessThanOrEqual(PAGE_LIMIT)
  })
})
