/**
 * Pictures of the pages the PDF is printed from: each slide of the shown group (browser/
 * deck-page.ts), as laid out for printing, captured from the page the build has open (no second
 * render, no PDF rasteriser). One picture per page of the PDF: the PDF's Markdown has a slide per
 * step, so overlays are pictures of their own.
 */
import type { CDPSession, Page } from 'puppeteer-core'
import { MARP_SELECTORS } from '../marp/marp-contract.ts'

export interface CaptureOptions {
  format: 'png' | 'jpeg'
  /** Device pixels per CSS px of the slide (1: 1280 x 720 at 16:9). */
  scale: number
  /** Elements (CSS selector) hidden while capturing, shown again after. */
  hide?: string
}

/** One protocol session per page, kept while the page is open. */
const sessions = new WeakMap<Page, CDPSession>()

/** Where each shown slide of `[from, to)` lies in the document, in CSS px. */
export async function slideBoxes(page: Page, from: number, to: number): Promise<Array<{ x: number; y: number; width: number; height: number }>> {
  return page.evaluate(
    (first: number, end: number, slide: string) =>
      [...document.querySelectorAll(slide)].slice(first, end).map((svg) => {
        const box = svg.getBoundingClientRect()
        return { x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: box.height }
      }),
    from,
    to,
    MARP_SELECTORS.slide,
  )
}

/** The pictures of the slides `[from, to)`, shown, in order. */
export async function captureSlides(page: Page, from: number, to: number, options: CaptureOptions): Promise<Uint8Array[]> {
  // After page.pdf() Chromium's next pictures came out at the print's page width and scale (until
  // the viewport changes): a group is captured before it is printed, and each group has a page of
  // its own (browser/deck-page.ts), so no picture follows a print.
  const boxes = await slideBoxes(page, from, to)
  if (options.hide) {
    await page.evaluate((selector: string) => {
      for (const element of document.querySelectorAll<HTMLElement>(selector)) element.style.setProperty('visibility', 'hidden', 'important')
    }, options.hide)
  }
  // The protocol's own call, in a session kept for the page: a clip in the slide's px at the
  // scale asked (closing a session of our own dropped the page's print media emulation).
  let session = sessions.get(page)
  if (!session) sessions.set(page, (session = await page.createCDPSession()))
  // Room below the last slide, so that it too can be scrolled to the top of the viewport.
  await page.evaluate((height: number) => {
    const spacer = document.createElement('div')
    spacer.id = 'deck-capture-spacer'
    spacer.style.height = `${height}px`
    document.body.append(spacer)
  }, page.viewport()?.height ?? 1080)
  try {
    const pictures: Uint8Array[] = []
    for (const box of boxes) {
      // The slide scrolled into the viewport (which has the slide's size): captured as shown.
      await page.evaluate((y: number) => window.scrollTo(0, y), box.y)
      const { data } = await session.send('Page.captureScreenshot', {
        format: options.format,
        ...(options.format === 'jpeg' ? { quality: 90 } : {}),
        clip: { ...box, scale: options.scale },
        optimizeForSpeed: true,
      })
      pictures.push(Buffer.from(data, 'base64'))
    }
    return pictures
  } finally {
    await page.evaluate(() => (window.scrollTo(0, 0), document.getElementById('deck-capture-spacer')?.remove()))
    if (options.hide) {
      await page.evaluate((selector: string) => {
        for (const element of document.querySelectorAll<HTMLElement>(selector)) element.style.removeProperty('visibility')
      }, options.hide)
    }
  }
}
