/**
 * Looks at built decks in headless Chromium: the browser the worker's in-process builds share
 * (helpers/cli.ts deckBrowser; a new one if the last has gone, closed with the worker); each call
 * opens a page of its own and closes it.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'puppeteer-core'
import { findBrowser } from '../../scripts/browser/browser.ts'
import { deckBrowser } from './cli.ts'

/** The test worker's browser. */
export function testBrowser(): Promise<Browser> {
  return deckBrowser()
}

/**
 * The pinned browser behind a script (`CHROME_PATH=wrapper`) that adds `echo`'s words to `log` at
 * each start: `started`, or `"$@"` (its flags).
 */
export async function loggedBrowser(dir: string, echo: string): Promise<{ wrapper: string; log: string }> {
  const log = path.join(dir, 'browser.log')
  writeFileSync(log, '')
  const pinned = await findBrowser()
  const wrapper = path.join(dir, 'chrome')
  writeFileSync(wrapper, `#!/bin/sh\necho ${echo} >> '${log}'\nexec '${pinned.path}' "$@"\n`, { mode: 0o755 })
  return { wrapper, log }
}

/** A fresh page of the worker's browser, closed after `use`. */
export async function withPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const page = await (await testBrowser()).newPage()
  try {
    return await use(page)
  } finally {
    await page.close()
  }
}

/** Opens a built HTML file with every network request refused. */
export interface OfflinePage {
  externalRequests: string[]
  slides: number
  fontsLoaded: string[]
  titleFont: string
  brokenImages: number
}

export async function openOffline(file: string): Promise<OfflinePage> {
  return withPage(async (page) => {
    const url = pathToFileURL(file).href
    const externalRequests: string[] = []
    await page.setRequestInterception(true)
    page.on('request', (request) => {
      const target = request.url()
      if (target === url || target.startsWith('data:')) return void request.continue()
      externalRequests.push(target)
      void request.abort()
    })
    await page.goto(url, { waitUntil: 'load' })
    return await page.evaluate(async () => {
      await document.fonts.ready
      const loaded = [...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family.replace(/"/g, ''))
      const title = document.querySelector('section h2')
      return {
        externalRequests: [] as string[],
        slides: document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section').length,
        fontsLoaded: [...new Set(loaded)],
        titleFont: title ? getComputedStyle(title).fontFamily : '',
        brokenImages: [...document.images].filter((image) => !image.complete || image.naturalWidth === 0).length,
      }
    }).then((result) => ({ ...result, externalRequests }))
  })
}

/**
 * PNG screenshots of the given slides (1-based) of a built HTML deck, at the slide's own size: the
 * deck loaded once, each slide shown as a link to it would show it (its hash).
 */
export async function screenshotSlides(file: string, pages: number[], size = { width: 1280, height: 720 }): Promise<Buffer[]> {
  return withPage(async (page) => {
    await page.setViewport(size)
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    // Bespoke's on-screen controls and progress bar are not part of the slide.
    await page.addStyleTag({ content: '.bespoke-marp-osc, .bespoke-progress-parent { display: none !important; }' })
    await page.evaluate(() => document.fonts.ready)
    const shots: Buffer[] = []
    for (const number of pages) {
      await showSlide(page, number)
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
      shots.push(Buffer.from(await page.screenshot({ type: 'png', optimizeForSpeed: true })))
    }
    return shots
  })
}

/** The slide bespoke shows (1-based). */
function shownSlide(page: Page): Promise<number> {
  return page.evaluate(() => [...document.querySelectorAll('svg[data-marpit-svg]')].findIndex((slide) => slide.classList.contains('bespoke-marp-active')) + 1)
}

/** Goes to slide `number` by its hash, as a link to it does, and waits until bespoke shows it. */
async function showSlide(page: Page, number: number): Promise<void> {
  const count = await page.evaluate(() => document.querySelectorAll('svg[data-marpit-svg]').length)
  if (number < 1 || number > count) throw new Error(`slide ${number} asked for: the deck has ${count} slides`)
  await page.evaluate((target) => void (location.hash = `#${target}`), number)
  await page.waitForFunction((target) => document.querySelectorAll('svg[data-marpit-svg]')[target - 1]?.classList.contains('bespoke-marp-active'), {}, number)
}

/**
 * The headline of each slide of a built HTML deck: the sections highlighted, the section-name
 * targets, each section's dot count, and the dot links (only the current section's dots are links).
 */
export async function headlineOf(file: string): Promise<Array<{ current: number[]; names: string[]; counts: number[]; dots: Array<{ section: number; position: number; current: boolean; href: string }> }>> {
  return withPage(async (page) => {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    return await page.evaluate(() =>
      [...document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section')].map((section) => {
        const items = [...section.querySelectorAll('nav.headline li.nav-section')]
        return {
          current: items.flatMap((item, index) => (item.classList.contains('current') ? [index] : [])),
          names: items.map((item) => item.querySelector('a.name')?.getAttribute('href') ?? ''),
          counts: items.map((item) => Number(item.querySelector<HTMLElement>('.dots')?.style.getPropertyValue('--count') ?? 0)),
          dots: items.flatMap((item, sectionIndex) =>
            [...item.querySelectorAll('a.dot')].map((dot, position) => ({
              section: sectionIndex,
              position: position + 1,
              current: dot.classList.contains('current'),
              href: dot.getAttribute('href') ?? '',
            })),
          ),
        }
      }),
    )
  })
}

/**
 * Clicks in the headline of a built HTML deck, the deck loaded once: for each `[from, section,
 * position]`, slide `from` shown, a click on dot `position` (1-based) of section `section` (on the
 * section's name without a position); returns the slide shown after each click.
 */
export async function headlineClicks(file: string, clicks: Array<[from: number, section: number, position?: number]>): Promise<number[]> {
  return withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 })
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    const shown: number[] = []
    for (const [from, section, position] of clicks) {
      await showSlide(page, from)
      const entry = `svg[data-marpit-svg]:nth-of-type(${from}) nav.headline li.nav-section:nth-child(${section + 1})`
      if (position === undefined) {
        await (await page.waitForSelector(`${entry} a.name`, { visible: true }))!.click()
      } else {
        const row = (await page.waitForSelector(`${entry} .dots`, { visible: true }))!
        const box = (await row.boundingBox())!
        const count = await row.evaluate((element) => Number((element as HTMLElement).style.getPropertyValue('--count')))
        await page.mouse.click(box.x + ((position - 0.5) / count) * box.width, box.y + box.height / 2)
      }
      await page.waitForFunction((start) => location.hash !== `#${start}`, {}, from)
      // bespoke marks the shown slide's svg as active
      shown.push(await shownSlide(page))
    }
    return shown
  })
}

/**
 * PNG screenshots of the given slides as they print (to PDF): print media, where every slide
 * lies one under the other at its own size, each shot clipped to its slide.
 */
export async function screenshotPrinted(file: string, pages: number[], size = { width: 1280, height: 720 }): Promise<Buffer[]> {
  return withPage(async (page) => {
    await page.setViewport(size)
    await page.emulateMediaType('print')
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    await page.evaluate('document.fonts.ready')
    const shots: Buffer[] = []
    for (const number of pages) {
      // Scrolled into the viewport, so that a shot does not lay out the whole deck again beyond it.
      const box = (await page.evaluate(`(() => {
        const slide = document.querySelectorAll('svg[data-marpit-svg]')[${number - 1}]
        slide.scrollIntoView()
        const rect = slide.getBoundingClientRect()
        return { x: rect.left + window.scrollX, y: rect.top + window.scrollY, width: rect.width, height: rect.height }
      })()`)) as { x: number; y: number; width: number; height: number }
      shots.push(Buffer.from(await page.screenshot({ type: 'png', clip: box, captureBeyondViewport: false, optimizeForSpeed: true })))
    }
    return shots
  })
}
