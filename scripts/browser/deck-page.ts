/**
 * A rendered deck open in the shared browser as it is measured and printed: print media, fonts
 * and images loaded, a group of slides shown at a time (the others `display: none`, so not laid
 * out), and each shown group settled (Marp's auto-scaling done).
 *
 * A deck of several groups is opened as part documents, one per group: the deck's HTML with every
 * slide outside the group reduced to an empty, hidden box that keeps the slide's place (slide
 * indexes hold) and the ids inside it (links to it hold). Up to LANES of them are open at once,
 * each on a page of its own: Chromium lays out, measures and prints each page in a renderer of its
 * own, on a core of its own. Measured at 1000 slides: a print of a part document built its
 * accessibility tree from its own group only, where one page of the whole deck built it from every
 * slide at each print; and a link whose target is missing from the document made its print three
 * times slower (hence the boxes that keep the ids).
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'puppeteer-core'
import { findBrowser, sharedBrowser } from './browser.ts'
import { fontsAsFiles } from './page-fonts.ts'
import { chromiumFlags } from './puppeteer-coupling.ts'
import { MARP_SELECTORS, PRESENTING_SCRIPT, SLIDE_START, type MarpSelectors } from '../marp/marp-contract.ts'

export interface SlideSize {
  width: number
  height: number
}

/**
 * Slides laid out at a time. A page with every slide of a long deck laid out held ~1 GB at 1000
 * slides (and printing it as much again): the slides are measured and printed in groups of at most
 * this many. Each slide is a box of its own, so what is measured does not depend on which others
 * are shown.
 */
export const SLIDES_AT_ONCE = 250

/** A deck of more slides than this is split into (at least) one group per lane. */
const SPLIT_FROM = 60

/**
 * Pages (renderers) at work at once: one per core, at most two, since each holds a group laid out
 * and its print (the 1000-slide deck's peak memory is a target).
 */
const LANES = Math.max(1, Math.min(2, os.availableParallelism()))

/** Hides every slide not marked shown, from the first layout on (before the deck's own styles). */
export const HIDE_SLIDES = `new MutationObserver((_, observer) => {
  if (!document.head) return
  observer.disconnect()
  const style = document.createElement('style')
  style.textContent = '${MARP_SELECTORS.slide}:not([data-deck-shown]) { display: none !important; }'
  document.head.prepend(style)
}).observe(document, { childList: true, subtree: true })`

export interface OpenDeck {
  /** The groups of slides, `[from, to)` of 0-based pages, in order. */
  readonly groups: ReadonlyArray<readonly [number, number]>
  /**
   * Calls `visit` once for each group (all, or `only`) with the group shown alone, laid out and
   * settled on `page`; up to LANES groups at once, each lane taking the next group in order. A
   * failure stops the lanes from taking more and is thrown once all have stopped.
   */
  forEachGroup(visit: (page: Page, from: number, to: number) => Promise<void>, only?: ReadonlyArray<readonly [number, number]>): Promise<void>
  close(): Promise<void>
}

/**
 * Opens a rendered deck: the first group of each lane loaded, shown and settled on its page (the
 * others load as forEachGroup() reaches them). `slidesAtOnce`: the group size (tests); `lanes`:
 * pages at once (the default: a core each, at most two); `slides`: the slides `[from, to)` to open
 * (the default: all); `text`: the file's text, where the caller has it; `prepare`: runs on each
 * page once its document has loaded, before any slide is laid out (browser/headline-links.ts for a
 * PDF).
 */
export async function openDeck(
  htmlFile: string,
  size: SlideSize,
  options: { slidesAtOnce?: number; lanes?: number; slides?: readonly [number, number]; text?: string; prepare?: (page: Page) => Promise<void> } = {},
): Promise<OpenDeck> {
  // Loaded as a copy: without the presenting script, with the fonts as files (browser/page-fonts.ts).
  const html = fontsAsFiles((options.text ?? readFileSync(htmlFile, 'utf8')).replace(PRESENTING_SCRIPT, ''))
  const chunks = html.split(SLIDE_START)
  const count = chunks.length - 1
  const [first, end] = options.slides ?? [0, count]
  const groups = slideGroups(Math.max(0, Math.min(end, count) - first), options.slidesAtOnce ?? SLIDES_AT_ONCE, options.lanes ?? LANES).map(([from, to]): [number, number] => [first + from, first + to])
  const whole = groups.length === 1 && groups[0]![0] === 0 && groups[0]![1] === count
  const lanes = Math.max(1, Math.min(options.lanes ?? LANES, groups.length))
  const pages: Page[] = []
  /** What each page shows now: the group's `from-to`. */
  const shows = new Map<Page, string>()
  const load = async (page: Page, [from, to]: readonly [number, number]) => {
    const key = `${from}-${to}`
    if (shows.get(page) === key) return
    shows.delete(page)
    const part = partCopy(htmlFile, whole ? html : partHtml(chunks, from, to))
    try {
      await page.goto(pathToFileURL(part.file).href, { waitUntil: 'load', timeout: 0 })
    } finally {
      part.remove()
    }
    await options.prepare?.(page)
    await showSlides(page, from, to)
    shows.set(page, key)
  }
  const newPage = async (lane = pages.length) => {
    // The prepared page, if it is of the browser running now (not of one closed since).
    const claimed = prepared
    prepared = undefined
    const early = claimed?.browser === sharedBrowser() ? await claimed.page.catch(() => undefined) : undefined
    const page = early && !early.isClosed() ? early : await blankPage()
    await page.setViewport({ width: size.width, height: size.height })
    pages[lane] = page
    return page
  }
  // Each lane's first group loads at once (a renderer each).
  await Promise.all(groups.slice(0, lanes).map(async (group, lane) => load(await newPage(lane), group)))
  return {
    groups,
    async forEachGroup(visit, only = groups) {
      // In order: lane i starts with the group its page shows already (openDeck loaded them so).
      const queue = [...only]
      let failure: { error: unknown } | undefined
      const lane = async (index: number) => {
        let page = pages[index] ?? (await newPage(index))
        for (let group = queue.shift(); group && !failure; group = queue.shift()) {
          // A page that showed another group goes, and its renderer's memory with it: a renderer
          // keeps what it took for a part after the next loads (two renderers held 570 and 535
          // MiB after 3 parts of a 1000-slide deck, a new one per part 225 and 212).
          if (shows.has(page) && shows.get(page) !== `${group[0]}-${group[1]}`) {
            await page.close()
            page = await newPage(index)
          }
          await load(page, group)
          await visit(page, group[0], group[1])
        }
      }
      await Promise.all(Array.from({ length: Math.min(lanes, queue.length) }, (_, index) => lane(index).catch((error: unknown) => void (failure ??= { error }))))
      if (failure) throw failure.error
    },
    async close() {
      await Promise.all(pages.splice(0).map((page) => page.close().catch(() => undefined)))
    },
  }
}

/**
 * The groups of `count` slides, `[from, to)`, of about equal size: at most `most` slides each;
 * a deck of more than SPLIT_FROM slides in a multiple of `lanes` groups, so that every lane works.
 */
export function slideGroups(count: number, most: number, lanes: number): Array<[number, number]> {
  let groups = Math.max(1, Math.ceil(count / most))
  if (count > SPLIT_FROM && lanes > 1) groups = Math.ceil(Math.max(groups, lanes) / lanes) * lanes
  const size = Math.ceil(count / groups)
  return Array.from({ length: groups }, (_, index): [number, number] => [index * size, Math.min(count, (index + 1) * size)]).filter(([from, to]) => to > from)
}

/**
 * The part document of the slides `[from, to)`: `chunks` is the HTML split at each slide's start
 * (marp/marp-contract.ts SLIDE_START). Every other slide keeps its svg (hidden: not marked shown)
 * with an empty foreignObject holding its ids; the last slide stays whole wherever it is, since
 * marp-core's script (custom elements, auto-scaling) is written inside it.
 */
function partHtml(chunks: string[], from: number, to: number): string {
  const slides = chunks.length - 1
  return chunks
    .map((chunk, index) => {
      const slide = index - 1
      if (slide < 0 || (slide >= from && slide < to) || slide === slides - 1) return chunk
      const open = chunk.indexOf('<foreignObject')
      const inner = chunk.indexOf('>', open) + 1
      const close = chunk.lastIndexOf('</foreignObject>')
      if (open < 0 || inner <= 0 || close < inner) return chunk
      const ids = [...chunk.slice(inner, close).matchAll(/ id="([^"]*)"/g)].map((match) => `<i id="${match[1]}"></i>`)
      return `${chunk.slice(0, inner)}<section>${ids.join('')}</section>${chunk.slice(close)}`
    })
    .join(SLIDE_START)
}

/**
 * The deck as measured and printed: a copy without marp-cli's presenting script (keys, steps,
 * presenter view, transitions: nothing a printed page uses, the notes are in the HTML and steps
 * show in print; its start was a fifth of each load), written beside the HTML (its relative links
 * hold), removed once loaded; the HTML itself where the folder cannot be written.
 */
function partCopy(htmlFile: string, html: string): { file: string; remove: () => void } {
  const copy = path.join(path.dirname(htmlFile), `.${path.basename(htmlFile, '.html')}.measured-${randomBytes(4).toString('hex')}.html`)
  try {
    writeFileSync(copy, html)
  } catch {
    return { file: htmlFile, remove: () => undefined }
  }
  return { file: copy, remove: () => rmSync(copy, { force: true }) }
}

/** A page ready for a deck (its scripts before the deck's, print media), no deck loaded yet. */
async function blankPage(): Promise<Page> {
  const page = await (await sharedBrowser()).newPage()
  // Sources run under tsx or vitest carry esbuild's `__name` helper into functions sent to the page.
  await page.evaluateOnNewDocument('globalThis.__name = globalThis.__name || ((target) => target)')
  await page.evaluateOnNewDocument(HIDE_SLIDES)
  await page.emulateMediaType('print')
  return page
}

let prepared: { browser: ReturnType<typeof sharedBrowser>; page: Promise<Page> } | undefined
/**
 * Starts the browser and opens the page the next openDeck() takes, while the deck is still being
 * parsed and rendered: Chromium is a process of its own and comes up on another core.
 * `singleProcess`: a browser this starts runs its pages in its own process (browser.ts).
 */
export async function preparePage(options: { singleProcess?: boolean } = {}): Promise<void> {
  // What the browser's start waits for first (finding it, puppeteer's flags): awaited here, so that
  // Chromium is spawned before the caller goes on with its own work.
  await Promise.all([findBrowser(), chromiumFlags()]).catch(() => undefined)
  const browser = sharedBrowser(options)
  if (prepared?.browser === browser) return
  prepared = { browser, page: blankPage() }
  // A failed start (no browser) is openDeck's to report, or nobody's when none opens.
  browser.catch(() => undefined)
  prepared.page.catch(() => undefined)
}

/** Shows the slides `[from, to)` alone, laid out with their fonts and images, and settled. */
async function showSlides(page: Page, from: number, to: number): Promise<void> {
  await page.evaluate(loadFaces, from, to, MARP_SELECTORS.slide)
  await page.evaluate(
    (first: number, end: number, slide: string) => {
      for (const shown of document.querySelectorAll('svg[data-deck-shown]')) shown.removeAttribute('data-deck-shown')
      const slides = document.querySelectorAll(slide)
      for (let index = first; index < end && index < slides.length; index++) slides[index]!.setAttribute('data-deck-shown', '')
    },
    from,
    to,
    MARP_SELECTORS.slide,
  )
  await page.evaluate(loadResources)
  await page.evaluate(settleSlides, MARP_SELECTORS)
}

/** What the page's state depends on, for the cache keys of verdicts measured in it. */
export const DECK_PAGE_CODE = [fontsAsFiles.toString(), HIDE_SLIDES, PRESENTING_SCRIPT.source, SLIDE_START, String(SLIDES_AT_ONCE), partHtml.toString(), loadFaces.toString(), loadResources.toString(), settleSlides.toString()].join('\n')

// ---- Runs in the page (serialised: self-contained, no imports, no closures) ----

/**
 * Loads the faces that the text of the slides `[first, end)` will use, before they are shown.
 * Otherwise the first layout is made with fallback fonts and done again once the faces arrive:
 * opening a group of 171 slides took 1.01 s instead of 0.88 s, and the asyncio deck's 18 slides
 * 0.26 s instead of 0.21 s (medians of 6 and 8). A face this does not foresee (a character from
 * CSS `content`, a font-family in a style attribute) is still loaded by the layout
 * (loadResources). Not every face either: the theme's 30 took 110 ms of a one-slide page's 200.
 */
export async function loadFaces(first: number, end: number, slide: string): Promise<void> {
  const slides = document.querySelectorAll(slide)
  const points = new Set<number>()
  for (let index = first; index < end && index < slides.length; index++) {
    for (const char of slides[index]!.textContent ?? '') points.add(char.codePointAt(0)!)
  }
  // The font-family lists of the page's style rules, their custom properties as a slide has them.
  const section = slides[first]?.querySelector('section')
  const style = section ? getComputedStyle(section) : undefined
  const lists = new Set<string>()
  const collect = (rules: CSSRuleList) => {
    for (const rule of rules) {
      const family = rule instanceof CSSStyleRule ? rule.style.fontFamily : ''
      if (family && family !== 'inherit') lists.add(family.replace(/var\((--[\w-]+)\s*(?:,\s*([^)]*))?\)/g, (_, name: string, fallback?: string) => style?.getPropertyValue(name).trim() || fallback || ''))
      if ('cssRules' in rule) collect((rule as CSSGroupingRule).cssRules)
    }
  }
  for (const sheet of document.styleSheets) {
    try {
      collect(sheet.cssRules)
    } catch {
      // a linked stylesheet's rules are not the file: page's to read: its faces come with the layout
    }
  }
  // For each list, style and weight, each character's faces as CSS font matching picks them: of
  // the first family with faces of the nearest style and weight whose unicode-range holds it.
  const faces = [...document.fonts]
  const ranges = new Map(faces.map((face) => [face, face.unicodeRange.split(',').map((part) => part.trim().replace(/^U\+/i, '').split('-').map((hex) => parseInt(hex, 16)))]))
  const holds = (face: FontFace, point: number) => ranges.get(face)!.some(([low = 0, high = low]) => point >= low && point <= high)
  const wanted = new Set<FontFace>()
  for (const list of lists) {
    const families = list.split(',').map((name) => name.trim().replace(/^["']|["']$/g, ''))
    for (const shape of new Set(faces.map((face) => `${face.style}|${face.weight}`))) {
      const [wantStyle, wantWeight] = shape.split('|') as [string, string]
      const segments = families.map((family) => {
        const own = faces.filter((face) => face.family === family)
        const styled = own.some((face) => face.style === wantStyle) ? own.filter((face) => face.style === wantStyle) : own
        const distance = (face: FontFace) => Math.abs(parseInt(face.weight, 10) - parseInt(wantWeight, 10))
        const nearest = Math.min(...styled.map(distance))
        return styled.filter((face) => distance(face) === nearest)
      })
      for (const point of points) {
        for (const segment of segments) {
          // Every face whose range holds it: the glyph may be in any of them (Noto Emoji's subsets overlap).
          const holding = segment.filter((face) => holds(face, point))
          for (const face of holding) wanted.add(face)
          if (holding.length > 0) break
        }
      }
    }
  }
  await Promise.all([...wanted].filter((face) => face.status === 'unloaded').map((face) => face.load().catch(() => undefined)))
}

/**
 * Waits for the fonts and images of the shown slides: laid out first, so that the faces they use
 * and loadFaces() did not load are asked for.
 */
async function loadResources(): Promise<void> {
  document.body.getBoundingClientRect()
  await document.fonts.ready
  await Promise.all([...document.querySelectorAll<HTMLImageElement>('svg[data-deck-shown] img')].map((image) => image.decode().catch(() => undefined)))
}

/**
 * Waits for Marp's auto-scaling in the shown slides; completes the scaling where it has not run,
 * as marp-core's MarpAutoScaling.updateSVGRect() does (test/marp-contract.test.ts checks that
 * Marp's own result matches this one).
 */
async function settleSlides(marp: MarpSelectors): Promise<void> {
  const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()))
  // What Marp's MarpAutoScaling.updateSVGRect() writes once both of its observers have reported.
  type Scaler = { host: Element; svg: SVGSVGElement | undefined; expected: { width: number; height: number } | undefined }
  const scalers = (): Scaler[] =>
    [...document.querySelectorAll(`svg[data-deck-shown] ${marp.autoScalingHost}`)].flatMap((host): Scaler[] => {
      const root = host.shadowRoot?.querySelector(marp.autoScaling)?.shadowRoot
      const svg = root?.querySelector<SVGSVGElement>(marp.autoScalingSvg)
      const wrapper = root?.querySelector<HTMLElement>(marp.autoScalingWrapper)
      const container = svg?.querySelector<HTMLElement>(marp.autoScalingContainer)
      if (!svg || !wrapper || !container) return [{ host, svg: undefined, expected: undefined }]
      let width = container.offsetWidth
      if (host.getAttribute('data-auto-scaling') === 'downscale-only') width = Math.max(width, wrapper.clientWidth)
      return [{ host, svg, expected: { width, height: container.offsetHeight } }]
    })
  const settled = (item: Scaler) => {
    const box = item.svg?.viewBox.baseVal
    const attr = item.svg?.getAttribute('viewBox')
    return !!(attr && box && item.expected && Math.abs(box.width - item.expected.width) <= 1 && Math.abs(box.height - item.expected.height) <= 1)
  }
  // Settled already (Marp's observers reported while fonts and images loaded): a pending report
  // would compute what settled() compares with, so it changes nothing. Not waiting for frames
  // here spares a paint of every shown slide (60-80 ms for a group of 170).
  if (scalers().every(settled)) return
  const started = performance.now()
  let calm = 0
  // Custom elements upgrade and observers report within a few frames; two calm frames in a row.
  while (calm < 2 && performance.now() - started < 3000) {
    await frame()
    calm = scalers().every(settled) ? calm + 1 : 0
  }
  if (calm >= 2) return
  for (const item of scalers()) {
    if (settled(item) || !item.svg || !item.expected) continue
    const { width, height } = item.expected
    item.svg.querySelector(':scope > foreignObject')?.setAttribute('width', `${width}`)
    item.svg.querySelector(':scope > foreignObject')?.setAttribute('height', `${height}`)
    item.svg.setAttribute('viewBox', `0 0 ${width} ${height}`)
    item.svg.style.height = width <= 0 || height <= 0 ? '0' : ''
  }
  if (scalers().some((item) => !item.svg)) throw new Error('Marp\'s auto-scaling elements did not start in the page')
  await frame()
  await frame()
}
