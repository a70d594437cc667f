/**
 * End to end: the original deck, unchanged, built with the CLI to PDF and HTML; checked against
 * the pandoc + beamer reference (same frame titles in the same order) and opened offline.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliProcess, shared } from './helpers/cli.ts'
import { frameTitles, readPdf } from './helpers/pdf.ts'
import { openOffline } from './helpers/browser.ts'

let outDir: string
let build: Awaited<ReturnType<typeof runCliProcess>>

beforeAll(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'deck-seed-'))
  // A child process: the command line end to end, as a user runs it (most builds of the suite run in process).
  build = await runCliProcess(['build', shared('corpus', 'pandoc-beamer', '00-seed_m-hegele_asyncio.md'), '--out', outDir])
})
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe('the original deck', () => {
  it('builds to PDF and HTML with exit 0', async () => {
    expect(build.stderr).toContain('29 slides')
    expect(build.status).toBe(0)
    expect(readdirSync(outDir).sort()).toEqual(['00-seed_m-hegele_asyncio.html', '00-seed_m-hegele_asyncio.pdf', '00-seed_m-hegele_asyncio.pdfpc'])
  })

  it('has the slide sequence of the pandoc + beamer reference', async () => {
    const reference = await readPdf(shared('reference', 'beamer', 'deck.pdf'))
    const ours = await readPdf(path.join(outDir, '00-seed_m-hegele_asyncio.pdf'))
    const referenceTitles = frameTitles(reference.pages)
    const ourTitles = frameTitles(ours.pages)
    // Reference: title, TOC, an empty page (beamer's fault, not copied), then the frames.
    expect(referenceTitles).toHaveLength(30)
    expect(ourTitles).toHaveLength(29)
    expect(ourTitles.slice(2)).toEqual(referenceTitles.slice(3))
    const pageText = (index: number) => ours.pages[index]?.items.map((item) => item.text).join(' ') ?? ''
    expect(pageText(0)).toContain('asyncio pitfalls')
    expect(pageText(0)).toContain('Marius Hegele')
    expect(pageText(0)).toContain('2025-06-18')
    // The entries' words, joined by line (printed text may come as one item per word).
    const lines = new Map<number, string[]>()
    for (const item of ours.pages[1]?.items.filter((entry) => entry.top > 0.1 && /[a-z]/i.test(entry.text)) ?? []) {
      const key = Math.round(item.top * 200)
      lines.set(key, [...(lines.get(key) ?? []), item.text.trim()])
    }
    const toc = [...lines.entries()].sort(([a], [b]) => a - b).map(([, words]) => words.join(' ').replace(/\s+/g, ' '))
    expect(toc).toEqual([
      'asyncio pitfalls',
      'asyncio ruff rules',
      'internal asyncio task library',
      'General information',
      'Formatting',
    ])
  })

  it('has PDF outlines: every section (as beamer\'s bookmarks), holding its slides', async () => {
    const { outline } = await readPdf(path.join(outDir, '00-seed_m-hegele_asyncio.pdf'))
    const reference = await readPdf(shared('reference', 'beamer', 'deck.pdf'))
    expect(outline.map((item) => item.title)).toEqual(reference.outline.map((item) => item.title))
    expect(outline.map((item) => item.items.length)).toEqual([10, 0, 0, 2, 15])
    expect(outline[0]?.items).toHaveLength(10)
    expect(outline[4]?.items.at(-1)?.title).toBe('Fancy layout')
  })

  it('opens as HTML from another folder with no network, with its fonts', async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'deck-copy-'))
    try {
      const html = path.join(elsewhere, 'talk.html')
      cpSync(path.join(outDir, '00-seed_m-hegele_asyncio.html'), html)
      const page = await openOffline(html)
      expect(page.externalRequests).toEqual([])
      expect(page.slides).toBe(29)
      expect(page.fontsLoaded).toEqual(expect.arrayContaining(['Fira Code', 'CMU Typewriter Text']))
      expect(page.titleFont).toMatch(/^"?Fira Code"?/)
      expect(page.brokenImages).toBe(0)
    } finally {
      rmSync(elsewhere, { recursive: true, force: true })
    }
  })
})
