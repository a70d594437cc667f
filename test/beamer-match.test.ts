/**
 * The original deck against pandoc + beamer's own renders (../shared/reference/): every page of
 * crane at 16:9, and the pages rendered for beaver, default and crane at 4:3, compared pixel by
 * pixel as `compare -metric AE -fuzz 10%` counts, on the slides as they print (the PDF's
 * rendering, in the browser). beamer's page 3 (an empty frame pandoc opens
 * for an HTML comment) has no counterpart here: our page N is beamer's N + 1 from there on.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, seedDeck, shared } from './helpers/cli.ts'
import { screenshotPrinted } from './helpers/browser.ts'
import { decode, fuzzDifference } from './helpers/png.ts'

let work: string
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-beamer-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const variants: Array<{ name: string; folder: string; change?: [RegExp, string]; width: number }> = [
  { name: 'crane 16:9', folder: 'beamer', width: 1280 },
  { name: 'beaver 16:9', folder: 'beamer-beaver', change: [/^colortheme: .*$/m, 'colortheme: "beaver"'], width: 1280 },
  { name: 'default 16:9', folder: 'beamer-default', change: [/^colortheme: .*$/m, 'colortheme: "default"'], width: 1280 },
  { name: 'crane 4:3', folder: 'beamer-crane-43', change: [/^aspectratio: .*$/m, 'aspectratio: 43'], width: 960 },
]

/**
 * The target is a mean of 3 % with no page above 10 %. Reached so far: every page under
 * 10 %, means of 4.1-4.4 % (code pages 4-9 %: glyphs of CMU Typewriter Text against lmmono9,
 * and Marp's shrinking of code that beamer lets run past its column). The mean is held at 4.6 %
 * until the rest is done, so that nothing slips back.
 */
const MEAN_LIMIT = 0.046
const PAGE_LIMIT = 0.1

describe('pages against pandoc + beamer', () => {
  it.each(variants)('$name: mean difference at most 4.6 % (target 3 %), no page above 10 %', async ({ folder, change, width }) => {
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
    const differences = pages.map((page, index) => ({
      page,
      difference: fuzzDifference(decode(readFileSync(path.join(reference, `page-${String(page).padStart(2, '0')}.png`))), decode(shots[index]!)),
    }))
    const mean = differences.reduce((sum, { difference }) => sum + difference, 0) / differences.length
    const report = differences.map(({ page, difference }) => `p${page} ${(difference * 100).toFixed(1)}%`).join(', ')
    console.info(`${folder}: mean ${(mean * 100).toFixed(2)}% (${report})`)
    expect(mean, report).toBeLessThanOrEqual(MEAN_LIMIT)
    for (const { page, difference } of differences) expect(difference, `page ${page}: ${report}`).toBeLessThanOrEqual(PAGE_LIMIT)
  })
})
