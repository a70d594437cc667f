/**
 * The PDF's page box is where Chromium drew the slide: at beamer's 4:3 paper (128 x 96 mm) Chromium
 * draws a slide one CSS px below the top of its printed page (at 16:9 it does not), and
 * browser/pdf-join.ts anchors the box on the drawing. Checked as a reader sees it: the frame title's
 * baseline lies as far below the page's top edge at 4:3 as at 16:9 (the headline is as tall in both).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { runCli } from './helpers/cli.ts'

const MM_PER_PT = 25.4 / 72
const deck = (aspectratio: string) =>
  ['---', 'title: Boxes', `aspectratio: ${aspectratio}`, '---', '', '# Part', '', '## Frametitle', '', 'Some text.', ''].join('\n')

const work = mkdtempSync(path.join(os.tmpdir(), 'deck-page-box-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The frame title's baseline below the page's top edge, in mm, and the page size in mm. */
async function titleBaseline(aspectratio: string) {
  const dir = path.join(work, aspectratio)
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'talk.md'), deck(aspectratio))
  const result = await runCli(['build', 'talk.md', '--out', 'dist', '--force'], { cwd: dir })
  expect(result.status, result.stderr).toBe(0)
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(path.join(dir, 'dist', 'talk.pdf'))), verbosity: 0 }).promise
  try {
    const page = await pdf.getPage(pdf.numPages)
    const [left, bottom, right, top] = page.view as [number, number, number, number]
    const item = (await page.getTextContent()).items.find((entry) => 'str' in entry && entry.str.includes('Frametitle'))
    if (!item || !('transform' in item)) throw new Error('no frame title on the last page')
    return { baseline: (top - item.transform[5]) * MM_PER_PT, width: (right - left) * MM_PER_PT, height: (top - bottom) * MM_PER_PT }
  } finally {
    await pdf.destroy()
  }
}

describe('page box', () => {
  it('holds the slide where it is drawn, at 16:9 and at 4:3', async () => {
    const wide = await titleBaseline('169')
    const narrow = await titleBaseline('43')
    expect([wide.width, wide.height].map((mm) => mm.toFixed(1))).toEqual(['160.0', '90.0'])
    expect([narrow.width, narrow.height].map((mm) => mm.toFixed(1))).toEqual(['128.0', '96.0'])
    // 1 CSS px at these scales is about 0.26 mm: the boxes agree to well under that.
    expect(Math.abs(narrow.baseline - wide.baseline)).toBeLessThan(0.08)
  }, 120_000)
})
