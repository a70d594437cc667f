/**
 * The fit check gives one verdict on every run: real overflows fail the build, named with the
 * slide's number and title and the block's own line; code shrunk below the readability floor is
 * reported with its scale; the same deck measured idle and under load, with nothing cached, gets
 * the same verdict; one build starts one browser and leaves no browser profile behind; the pages
 * get the HTML's fonts as files and load the faces their slides use before laying them out.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findBrowser, closeBrowser, sharedBrowser } from '../scripts/browser/browser.ts'
import { measureDeck } from '../scripts/browser/overflow.ts'
import { HIDE_SLIDES, loadFaces, openDeck } from '../scripts/browser/deck-page.ts'
import { MARP_SELECTORS } from '../scripts/marp/marp-contract.ts'
import { fontsAsFiles } from '../scripts/browser/page-fonts.ts'
import { runCli, runCliProcess } from './helpers/cli.ts'
import { loggedBrowser } from './helpers/browser.ts'

let work: string
beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-fit-'))
})
afterAll(async () => {
  await closeBrowser()
  rmSync(work, { recursive: true, force: true })
})

const codeLines = (count: number) => Array.from({ length: count }, (_, i) => `line_${i} = ${i}`)

/** A deck: front matter (3 lines), a blank, then the slides. */
const deckOf = (...slides: string[][]) => ['---', 'title: Fit', '---', '', ...slides.flatMap((slide) => [...slide, ''])].join('\n')

async function buildHtml(name: string, markdown: string, ...flags: string[]) {
  const dir = path.join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'talk.md'), markdown)
  const result = await runCli(['build', 'talk.md', '--html', '--out', 'dist', '--force', ...flags], { cwd: dir })
  return { ...result, dir, errors: result.stderr.split('\n').filter((line) => line.includes('(overflow)')) }
}

describe('real overflows fail the build, at the block\'s line', () => {
  it('a 70-line code block goes below the slide', async () => {
    const result = await buildHtml('long-code', deckOf(['## Long code', '', 'Some text.', '', '```python', ...codeLines(70), '```']))
    expect(result.status).toBe(1)
    // the slide starts at line 5, the fence at line 9
    expect(result.errors).toEqual([expect.stringMatching(/^talk\.md:9:1 error Slide 2 "Long code" does not fit: code block "line_0 = 0 ⏎ line_1 = 1 ⏎ line…" goes below the slide by \d+ px \(about \d+ lines\)/)])
    // By about as many lines as do not fit: 70 lines where some 20 do.
    const lines = Number(/about (\d+) lines/.exec(result.errors[0]!)?.[1])
    expect(lines).toBeGreaterThan(35)
    expect(lines).toBeLessThan(65)
  })

  it('a 40-item list goes below the slide', async () => {
    const result = await buildHtml('long-list', deckOf(['## Long list', '', 'Intro.', '', ...Array.from({ length: 40 }, (_, i) => `- item ${i}`)]))
    expect(result.status).toBe(1)
    expect(result.errors).toEqual([expect.stringMatching(/^talk\.md:9:1 error Slide 2 "Long list" does not fit: list "item 0 item 1 .*" goes below the slide/)])
  })

  it('a table wider than the slide goes beside it', async () => {
    const header = `| ${Array.from({ length: 14 }, (_, i) => `column header ${i}`).join(' | ')} |`
    const result = await buildHtml('wide-table', deckOf(['## Wide table', '', header, `|${'---|'.repeat(14)}`, `| ${Array.from({ length: 14 }, (_, i) => `v${i}`).join(' | ')} |`]))
    expect(result.status).toBe(1)
    expect(result.errors).toEqual([expect.stringMatching(/^talk\.md:7:1 error Slide 2 "Wide table" does not fit: table "column header 0 .*" goes beside the slide by \d+ px/)])
  })

  it('code shrunk below the floor is named with its scale; the front matter moves the floor', async () => {
    const long = `value = ${'"a long string" + '.repeat(16)}"end"`
    const slide = ['## Tiny code', '', '::: columns', ':::: {.column width=50%}', '```python', long, '```', '::::', ':::: column', 'Beside.', '::::', ':::']
    const result = await buildHtml('tiny-code', deckOf(slide))
    expect(result.status).toBe(1)
    expect(result.errors).toHaveLength(1)
    const [, scale] = /shrunk to (\d+) % \(the floor is 60 %\): split the slide or widen the column/.exec(result.errors[0]!) ?? []
    expect(result.errors[0]).toMatch(/^talk\.md:9:1 error Slide 2 "Tiny code" does not fit: code block "value = /)
    expect(Number(scale)).toBeLessThan(60)
    const lowered = await buildHtml('tiny-code-floor', deckOf(slide).replace('title: Fit', `title: Fit\ncode-scale-floor: ${Number(scale) - 5}%`))
    expect(lowered.status, lowered.stderr).toBe(0)
  })

  it('code that Marp scales to fit a column, above the floor, fits', async () => {
    const wide = `result = compute(${'argument, '.repeat(3)}last)`
    const result = await buildHtml('scaled-fits', deckOf(['## Scaled', '', '::: columns', ':::: column', '```python', wide, ...codeLines(12), '```', '::::', ':::: column', '```python', ...codeLines(12), '```', '::::', ':::']))
    expect(result.errors).toEqual([])
    expect(result.status, result.stderr).toBe(0)
  })
})

describe('one verdict on every run', () => {
  /** Starts two busy loops (tracked: stopped by the test, whatever happens). */
  function busy(): ChildProcess[] {
    return [0, 1].map(() => spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }))
  }

  it('measures the same decks idle and with the CPU busy, nothing cached, with identical verdicts', async () => {
    const tight = await buildHtml(
      'verdict',
      deckOf(
        ['## Columns of code', '', '::: columns', ':::: {.column width=50%}', '```python', 'class MyTask:', ...codeLines(20).map((line) => `    ${line}  # with a comment that makes it wide`), '```', '::::', ':::: column', 'Beside.', '::::', ':::'],
        ['## Long code', '', '```python', ...codeLines(40), '```'],
        ['## Fits', '', 'Short.'],
      ),
      '--allow-overflow',
    )
    expect(tight.status, tight.stderr).toBe(0)
    const html = path.join(tight.dir, 'dist', 'talk.html')
    const measure = async (slidesAtOnce?: number) => {
      const opened = await openDeck(html, { width: 1280, height: 720 }, slidesAtOnce ? { slidesAtOnce } : {})
      try {
        return await measureDeck(opened, 0.6)
      } finally {
        await opened.close()
      }
    }
    const idle = await measure()
    // Measured a slide at a time (as long decks are, in groups), the others hidden: the same.
    expect(await measure(1)).toEqual(idle)
    const loops = busy()
    try {
      const loaded = [await measure(), await measure(), await measure()]
      for (const verdict of loaded) expect(verdict).toEqual(idle)
    } finally {
      for (const loop of loops) loop.kill('SIGKILL')
    }
    // a non-trivial verdict: the long code is reported, the last slide is not
    expect(idle.map((slide) => slide.page)).toContain(3)
    expect(idle.map((slide) => slide.page)).not.toContain(4)
  })
})

describe('each slide\'s verdict remembered', () => {
  it('a save measures the slides it changed; the verdicts of the others hold; a new theme measures all; a PDF build leaves its verdicts', async () => {
    const dir = path.join(work, 'per-slide')
    mkdirSync(dir, { recursive: true })
    const fits = ['## Fits', '', 'Short.']
    const long = ['## Long', '', '```python', ...codeLines(70), '```']
    // A title of its own: the page around the slides (its <title>) is new, so nothing is remembered yet.
    const title = `title: Fit ${Date.now()}`
    const build = async (...slides: string[][]) => {
      writeFileSync(path.join(dir, 'talk.md'), deckOf(...slides).replace('title: Fit', title))
      const result = await runCli(['build', 'talk.md', '--html', '--out', 'dist', '--allow-overflow', '--force'], { cwd: dir, env: { DECK_TIMINGS: '1' } })
      expect(result.status, result.stderr).toBe(0)
      const [, measured, count] = /fit check \((\d+) of (\d+) slides measured\)/.exec(result.stderr) ?? []
      const overflows = [...result.stderr.matchAll(/talk\.md:(\d+):\d+ warning Slide (\d+) "[^"]*" does not fit: code block .* goes below the slide/g)]
      // Each overflow at its code block's line in the deck as it is now.
      const text = readFileSync(path.join(dir, 'talk.md'), 'utf8').split('\n')
      for (const [, line] of overflows) expect(text[Number(line) - 1]).toBe('```python')
      return { measured: Number(measured), count: Number(count), overflows: overflows.map((match) => Number(match[2])) }
    }
    const first = await build(fits, long, fits, fits)
    // the title page and 4 slides
    expect(first).toEqual({ measured: 5, count: 5, overflows: [3] })
    // The last slide grows past the slide: measured alone, the third's verdict remembered.
    expect(await build(fits, long, fits, long)).toEqual({ measured: 1, count: 5, overflows: [3, 5] })
    expect(await build(fits, long, fits, ['## Fits again', '', 'Short.'])).toEqual({ measured: 1, count: 5, overflows: [3] })
    // Unchanged (built again with --force): nothing measured.
    expect(await build(fits, long, fits, ['## Fits again', '', 'Short.'])).toEqual({ measured: 0, count: 5, overflows: [3] })
    // Lines added to the first slide move the others down: only the first is measured, and the
    // remembered overflow is reported at its code block's new line (checked in build()).
    expect(await build([...fits, '', 'Two more', 'lines.'], long, fits, ['## Fits again', '', 'Short.'])).toEqual({ measured: 1, count: 5, overflows: [3] })
    // Another colour theme changes the page around every slide.
    const themed = await (async () => {
      writeFileSync(path.join(dir, 'talk.md'), deckOf(fits, long, fits, ['## Fits again', '', 'Short.']).replace('title: Fit', `${title}\ncolortheme: beaver`))
      return runCli(['build', 'talk.md', '--html', '--out', 'dist', '--allow-overflow', '--force'], { cwd: dir, env: { DECK_TIMINGS: '1' } })
    })()
    expect(themed.stderr).toContain('fit check (5 of 5 slides measured)')
    // A PDF build printed from the HTML output (no steps) leaves its verdicts for the next save.
    writeFileSync(path.join(dir, 'talk.md'), deckOf(fits, long, fits).replace('title: Fit', `${title} (printed)`))
    const printed = await runCli(['build', 'talk.md', '--out', 'dist', '--allow-overflow', '--force'], { cwd: dir })
    expect(printed.status, printed.stderr).toBe(0)
    const after = await runCli(['build', 'talk.md', '--html', '--out', 'dist', '--allow-overflow', '--force'], { cwd: dir, env: { DECK_TIMINGS: '1' } })
    expect(after.stderr).toContain('fit check (0 of 4 slides measured)')
    expect(after.stderr).toMatch(/talk\.md:\d+:1 warning Slide 3 "Long" does not fit/)
  })
})

describe('one browser per build', () => {
  it('starts one browser for the fit check and the PDF, and leaves no profile in the temp folder', async () => {
    const dir = path.join(work, 'one-browser')
    const tmp = path.join(dir, 'tmp')
    mkdirSync(tmp, { recursive: true })
    const { wrapper, log } = await loggedBrowser(dir, 'started')
    writeFileSync(path.join(dir, 'talk.md'), deckOf(['# Part', ''], ['## One', '', 'Text.'], ['## Two', '', '```python', 'print(1)', '```']))
    // A child process: what it starts and leaves in TMPDIR is the subject, and the browser is found once per process.
    const result = await runCliProcess(['build', 'talk.md', '--out', 'dist', '--force'], { cwd: dir, env: { CHROME_PATH: wrapper, TMPDIR: tmp } })
    expect(result.status, result.stderr).toBe(0)
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['started'])
    expect(readdirSync(tmp)).toEqual([])
  })
})

describe('the browser of an HTML build', () => {
  it('runs its pages in its own process (--single-process), and measures what a browser of several processes measures', async () => {
    const dir = path.join(work, 'single-process')
    mkdirSync(dir, { recursive: true })
    const { wrapper, log } = await loggedBrowser(dir, '"$@"')
    // A title of its own: nothing remembered, both builds measure every slide.
    const deck = deckOf(
      ['## Columns of code', '', '::: columns', ':::: {.column width=50%}', '```python', 'class MyTask:', ...codeLines(20).map((line) => `    ${line}  # with a comment that makes it wide`), '```', '::::', ':::: column', 'Beside.', '::::', ':::'],
      ['## Long code', '', '```python', ...codeLines(40), '```'],
      ['## Wide table', '', `| ${Array.from({ length: 14 }, (_, i) => `column ${i}`).join(' | ')} |`, `|${'---|'.repeat(14)}`, `| ${Array.from({ length: 14 }, (_, i) => `value ${i}`).join(' | ')} |`],
      ['## Fits', '', 'Short.'],
    ).replace('title: Fit', `title: Fit ${Date.now()}`)
    writeFileSync(path.join(dir, 'talk.md'), deck)
    const verdicts = (stderr: string) => stderr.split('\n').filter((line) => line.includes('(overflow)'))
    // Child processes: each starts a browser of its own.
    const html = await runCliProcess(['build', 'talk.md', '--html', '--out', 'dist', '--allow-overflow'], { cwd: dir, env: { CHROME_PATH: wrapper } })
    expect(html.status, html.stderr).toBe(0)
    const pdf = await runCliProcess(['build', 'talk.md', '--out', 'printed', '--allow-overflow'], { cwd: dir, env: { CHROME_PATH: wrapper } })
    expect(pdf.status, pdf.stderr).toBe(0)
    const starts = readFileSync(log, 'utf8').trim().split('\n')
    expect(starts).toHaveLength(2)
    expect(starts[0]).toContain('--single-process')
    expect(starts[1]).not.toContain('--single-process')
    expect(verdicts(html.stderr).length).toBeGreaterThanOrEqual(2)
    expect(verdicts(html.stderr)).toEqual(verdicts(pdf.stderr))
  })
})

describe('the fonts of the pages measured and printed', () => {
  it('are given as files of the very bytes the HTML holds, named by their content', () => {
    const bytes = Buffer.from('not really a font, but bytes all the same')
    const data = `url(data:font/woff2;base64,${bytes.toString('base64')})`
    const html = `<style>@font-face { src: ${data} format('woff2'); } @font-face { src: ${data}; }</style>`
    const files = fontsAsFiles(html)
    const urls = [...files.matchAll(/url\("(file:[^"]+)"\)/g)].map((match) => match[1]!)
    expect(files).not.toContain('data:font')
    expect(urls).toHaveLength(2)
    expect(urls[1]).toBe(urls[0])
    expect(readFileSync(fileURLToPath(urls[0]!))).toEqual(bytes)
    expect(fontsAsFiles(html)).toBe(files)
  })

  it('come to a deck that links a stylesheet of its own too (a file: page may not read its rules)', async () => {
    const dir = path.join(work, 'linked-style')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'extra.css'), 'p { letter-spacing: 0.02em; }\n')
    writeFileSync(path.join(dir, 'talk.md'), deckOf(['## Linked', '', `<link rel="stylesheet" href="${pathToFileURL(path.join(dir, 'extra.css')).href}">`, '', 'Text in *italic*.']))
    const built = await runCli(['build', 'talk.md', '--out', 'dist', '--force'], { cwd: dir })
    expect(built.status, built.stderr).toBe(0)
    expect(readFileSync(path.join(dir, 'dist', 'talk.pdf')).length).toBeGreaterThan(0)
  })

  it('are loaded before the slides are laid out: the faces their characters use, of no other family or subset', async () => {
    const dir = path.join(work, 'faces')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'talk.md'), deckOf(['## Faces', '', 'Plain, **bold**, *italic* and `code` 🚀.', '', '```python', 'print("ünïcödé")', '```'], ['## More', '', 'Ça va: ✓']))
    const built = await runCli(['build', 'talk.md', '--html', '--out', 'dist', '--force'], { cwd: dir })
    expect(built.status, built.stderr).toBe(0)
    const html = pathToFileURL(path.join(dir, 'dist', 'talk.html')).href
    const loaded = () => [...document.fonts].filter((face) => face.status === 'loaded').map((face) => `${face.family}|${face.style} ${face.weight}|${face.unicodeRange}`).sort()
    const browser = await sharedBrowser()
    // What a layout of every slide asks for, with nothing loaded ahead of it.
    const page = await browser.newPage()
    await page.emulateMediaType('print')
    await page.goto(html, { waitUntil: 'load' })
    await page.evaluate(async () => {
      document.body.getBoundingClientRect()
      await document.fonts.ready
    })
    const used = await page.evaluate(loaded)
    await page.close()
    expect(used.some((face) => face.startsWith('CMU Typewriter Text|normal 400'))).toBe(true)
    expect(used.some((face) => face.startsWith('Noto Emoji'))).toBe(true)
    // What loadFaces() loads with every slide hidden (not laid out).
    const hidden = await browser.newPage()
    await hidden.evaluateOnNewDocument(HIDE_SLIDES)
    await hidden.emulateMediaType('print')
    await hidden.goto(html, { waitUntil: 'load' })
    const slides = await hidden.evaluate((slide) => document.querySelectorAll(slide).length, MARP_SELECTORS.slide)
    expect(slides).toBe(3) // the title page and the two slides
    await hidden.evaluate(loadFaces, 0, slides, MARP_SELECTORS.slide)
    const preloaded = await hidden.evaluate(loaded)
    await hidden.close()
    expect(preloaded).toEqual(expect.arrayContaining(used))
    // Another style or weight of a family the text uses may come too (what the text is set in is
    // not known before a layout); never another family, nor a subset of characters it lacks.
    const family = (face: string) => face.split('|')[0]
    const subset = (face: string) => `${family(face)}|${face.split('|')[2]}`
    for (const face of preloaded) expect(used.map(subset), face).toContain(subset(face))
    expect(new Set(preloaded.map(family))).toEqual(new Set(used.map(family)))
  })
})
