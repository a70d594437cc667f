/**
 * Looks at built decks in headless Chromium. A test worker's files share one browser (started on
 * first use, closed with the worker: helpers/worker-end.ts); each call opens a page of its own and
 * closes it.
 */
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'puppeteer-core'
import { launchBrowser } from '../../scripts/browser/browser.ts'
import { atWorkerEnd } from './worker-end.ts'

let shared: Promise<Browser> | undefined
let started: Browser | undefined

/** The test worker's browser (a new one if the last has gone: one file's crash stays its own). */
export function testBrowser(): Promise<Browser> {
  if (!shared || (started && !started.connected)) {
    if (!shared) atWorkerEnd(async () => void (await shared?.then((browser) => browser.close()).catch(() => undefined)))
    shared = launchBrowser().then((browser) => (started = browser))
  }
  return shared
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

/** PNG screenshots of the given slides (1-based) of a built HTML deck, at the slide's own size. */
export async function screenshotSlides(file: string, pages: number[], size = { width: 1280, height: 720 }): Promise<Buffer[]> {
  return withPage(async (page) => {
    await page.setViewport(size)
    const shots: Buffer[] = []
    for (const number of pages) {
      await page.goto(`${pathToFileURL(file).href}#${number}`, { waitUntil: 'load' })
      // Bespoke's on-screen controls and progress bar are not part of the slide.
      await page.addStyleTag({ content: '.bespoke-marp-osc, .bespoke-progress-parent { display: none !important; }' })
      await page.evaluate(async () => {
        await document.fonts.ready
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      })
      shots.push(Buffer.from(await page.screenshot({ type: 'png' })))
    }
    return shots
  })
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

/** Opens slide `from`, clicks dot `position` (1-based) of section `section` in its headline, returns the slide shown. */
export async function clickDot(file: string, from: number, section: number, position: number): Promise<number> {
  return withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 })
    await page.goto(`${pathToFileURL(file).href}#${from}`, { waitUntil: 'load' })
    const row = await page.waitForSelector(`svg[data-marpit-svg]:nth-of-type(${from}) nav.headline li.nav-section:nth-child(${section + 1}) .dots`, { visible: true })
    const box = (await row!.boundingBox())!
    const count = await row!.evaluate((element) => Number((element as HTMLElement).style.getPropertyValue('--count')))
    await page.mouse.click(box.x + ((position - 0.5) / count) * box.width, box.y + box.height / 2)
    await page.waitForFunction((start) => location.hash !== `#${start}`, {}, from)
    return await page.evaluate(() => [...document.querySelectorAll('svg[data-marpit-svg]')].findIndex((slide) => slide.classList.contains('bespoke-marp-active')) + 1)
  })
}

/** Opens slide `from`, clicks the name of section `section` in its headline, returns the slide shown. */
export async function clickSectionName(file: string, from: number, section: number): Promise<number> {
  return withPage(async (page) => {
    await page.setViewport({ width: 1280, height: 720 })
    await page.goto(`${pathToFileURL(file).href}#${from}`, { waitUntil: 'load' })
    const link = await page.waitForSelector(`svg[data-marpit-svg]:nth-of-type(${from}) nav.headline li.nav-section:nth-child(${section + 1}) a.name`, { visible: true })
    await link!.click()
    await page.waitForFunction((start) => location.hash !== `#${start}`, {}, from)
    // bespoke marks the shown slide's svg as active
    return await page.evaluate(() => {
      const slides = [...document.querySelectorAll('svg[data-marpit-svg]')]
      return slides.findIndex((slide) => slide.classList.contains('bespoke-marp-active')) + 1
    })
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
      const box = (await page.evaluate(`(() => {
        const rect = document.querySelectorAll('svg[data-marpit-svg]')[${number - 1}].getBoundingClientRect()
        return { x: rect.left + window.scrollX, y: rect.top + window.scrollY, width: rect.width, height: rect.height }
      })()`)) as { x: number; y: number; width: number; height: number }
      shots.push(Buffer.from(await page.screenshot({ type: 'png', clip: box, captureBeyondViewport: true })))
    }
    return shots
  })
}
