/**
 * The Marp Markdown's steps, as pandoc + beamer has them: every list of an `::: incremental` div
 * steps in the PDF (nested lists too), `::: nonincremental` and a quoted list turn that around,
 * and highlighted code steps through any number of steps in the HTML. The headline is written in
 * after Marp.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testBrowser } from './helpers/browser.ts'
import { VFile } from 'vfile'
import { deckProcessor } from '../scripts/build/stages.ts'
import { deckToMarp, deckToMarpPages } from '../scripts/marp/markdown.ts'
import { fillHeadlines } from '../scripts/marp/headline.ts'
import { runCli } from './helpers/cli.ts'

async function pdfPages(markdown: string) {
  const file = new VFile({ path: 'talk.md', value: markdown })
  const processor = deckProcessor()
  await processor.run(processor.parse(file), file)
  return { deck: file.data.deck!, ...deckToMarpPages(file.data.deck!, { target: 'pdf' }) }
}

/** Per page of the Marp Markdown, the list items not shown yet. */
function hiddenItems(markdown: string): string[][] {
  return markdown
    .split('\n\n---\n\n')
    .map((page) => [...page.matchAll(/<span class="overlay-hidden-item"><\/span>(?:<span[^>]*><\/span>)?(\w+)/g)].map((match) => match[1]!))
}

describe('incremental divs in the PDF', () => {
  it('step through every list of the div, nested items included, in reading order', async () => {
    const deck = await pdfPages(
      ['## Lists', '', '::: incremental', '- one', '  - sub', '- two', '', 'Between.', '', '1. alpha', '2. beta', ':::', ''].join('\n'),
    )
    // one page per item: one, sub, two, alpha, beta
    expect(deck.pages).toBe(5)
    expect(hiddenItems(deck.markdown)).toEqual([['sub', 'two', 'alpha', 'beta'], ['two', 'alpha', 'beta'], ['alpha', 'beta'], ['beta'], []])
    // the text between the lists shows from the first step, as in beamer
    expect(deck.markdown.split('\n\n---\n\n')[0]).toContain('Between.')
  })

  it('turn a list that is a block quote\'s only content the other way round, as pandoc does', async () => {
    // inside the div it keeps still; its quote is dropped
    const inside = await pdfPages(['## Quote', '', '::: incremental', '- one', '- two', '', '> - calm', '> - list', ':::', ''].join('\n'))
    expect(inside.pages).toBe(2)
    expect(hiddenItems(inside.markdown)).toEqual([['two'], []])
    // HTML: Marp steps through lists written with `*`; the still one keeps `-`
    const html = deckToMarp(inside.deck)
    expect(html).toMatch(/\* (<span[^>]*><\/span>)?one\n\* two/)
    expect(html).toMatch(/\n- (<span[^>]*><\/span>)?calm\n- list/)
    expect(html).not.toContain('> ')
    // outside one it steps
    const outside = await pdfPages(['## Quote', '', '> - one', '> - two', ''].join('\n'))
    expect(outside.pages).toBe(2)
    expect(hiddenItems(outside.markdown)).toEqual([['two'], []])
    expect(deckToMarp(outside.deck)).toMatch(/\n\* (<span[^>]*><\/span>)?one\n\* two/)
  })
})

describe('nonincremental divs', () => {
  it('keep their lists still inside an incremental div, as pandoc does', async () => {
    const deck = await pdfPages(['## Still', '', '::: incremental', '- one', '- two', '', '::: nonincremental', '- calm', '- list', ':::', ':::', ''].join('\n'))
    expect(deck.pages).toBe(2)
    expect(hiddenItems(deck.markdown)).toEqual([['two'], []])
    const html = deckToMarp(deck.deck)
    expect(html).toMatch(/\n- (<span[^>]*><\/span>)?calm\n- list/)
  })
})

describe('highlighted code in the HTML', () => {
  let dir: string
  const steps = 12
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deck-highlight-steps-'))
    const lines = Array.from({ length: steps }, (_, index) => `x${index + 1} = ${index + 1}`)
    const highlight = Array.from({ length: steps }, (_, index) => index + 1).join('|')
    writeFileSync(path.join(dir, 'talk.md'), ['## Many steps', '', `\`\`\`{.python highlight="${highlight}"}`, ...lines, '```', ''].join('\n'))
    const result = await runCli(['build', 'talk.md', '--html', '--out', 'dist'], { cwd: dir })
    expect(result.status, result.stderr).toBe(0)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it(`highlights the lines of each of ${steps} steps, one key press at a time`, async () => {
    const page = await (await testBrowser()).newPage()
    try {
      await page.setViewport({ width: 1280, height: 720 })
      await page.goto(pathToFileURL(path.join(dir, 'dist', 'talk.html')).href, { waitUntil: 'load' })
      const highlighted = () =>
        page.evaluate(
          `[...document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section')[0].querySelectorAll(':is(pre, marp-pre) .line')].flatMap((line, index) => getComputedStyle(line).backgroundColor !== 'rgba(0, 0, 0, 0)' ? [index + 1] : [])`,
        )
      for (let step = 1; step <= steps; step++) {
        expect(await highlighted(), `step ${step}`).toEqual([step])
        await page.keyboard.press('ArrowRight')
      }
    } finally {
      await page.close()
    }
  })
})

describe('the headline', () => {
  it('is a stand-in in the Marp Markdown, filled in after Marp with the links of its pages', async () => {
    const source = ['# One', '', '## A', '', '. . .', '', 'x', '', '## B', '', 'y', '', '# Two', '', '## C', '', 'z', ''].join('\n')
    const deck = await pdfPages(source)
    // 6 pages (section One, A in two steps, B, section Two, C); the headline itself is not in what Marp parses
    expect(deck.pages).toBe(6)
    expect(deck.markdown.match(/<nav class="headline" data-deck-headline="\d+"><\/nav>/g)).toHaveLength(6)
    expect(deck.markdown).not.toContain('class="dot')
    expect(deck.headlines).toHaveLength(6)
    // On the PDF's pages, B's dot goes to page 4 (after A's two steps); in the HTML to slide 3
    expect(deck.headlines[3]).toContain('<a class="dot current" href="#4">')
    const html = deckToMarpPages(deck.deck)
    expect(html.headlines[2]).toContain('<a class="dot current" href="#3">')
    // filled in, the Markdown is as it was written with the headlines in it
    expect(fillHeadlines(html.markdown, html.headlines)).toBe(deckToMarp(deck.deck))
    expect(deckToMarp(deck.deck)).not.toContain('data-deck-headline')
  })

  it('is filled into the rendered HTML', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-headline-'))
    try {
      writeFileSync(path.join(dir, 'talk.md'), ['# One', '', '## A', '', 'x', '', '## B', '', 'y', ''].join('\n'))
      const result = await runCli(['build', path.join(dir, 'talk.md'), '--html', '--out', path.join(dir, 'out'), '--quiet'])
      expect(result.status, result.stderr).toBe(0)
      const html = readFileSync(path.join(dir, 'out', 'talk.html'), 'utf8')
      expect(html).not.toContain('data-deck-headline')
      expect(html.match(/<nav class="headline">/g)).toHaveLength(3)
      expect(html).toContain('<a class="dot current" href="#3">')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
