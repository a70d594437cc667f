/** Opens a built HTML file in headless Chromium with every network request refused. */
import { pathToFileURL } from 'node:url'
import puppeteer from 'puppeteer-core'
import { findBrowser } from '../../scripts/render/browser.ts'

export interface OfflinePage {
  externalRequests: string[]
  slides: number
  fontsLoaded: string[]
  titleFont: string
  brokenImages: number
}

export async function openOffline(file: string): Promise<OfflinePage> {
  const { path: executablePath } = await findBrowser()
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })
  try {
    const page = await browser.newPage()
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
  } finally {
    await browser.close()
  }
}
