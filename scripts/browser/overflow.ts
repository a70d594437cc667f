/**
 * The fit check: measures every slide as it is printed and names what does not fit - content
 * past the slide, its column or its block, behind the headline, a frame title wider than its
 * bar, and code that Marp's auto-scaling shrank below the readability floor.
 *
 * The verdict must not depend on the machine or its load, so the page is first brought to the
 * state the PDF prints (print media: every slide laid out, none hidden by the presenting
 * template), then settled: fonts, images, and every auto-scaling svg holding the viewBox that
 * Marp's own ResizeObservers compute (written by us where they have not run yet). Only then is it
 * measured, with auto-scaled code measured as one unit.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'puppeteer-core'
import { cacheKey, readCache, writeCache } from '../core/cache.ts'
import { browserIdentity, findBrowser, sharedBrowser } from './browser.ts'
import { chromiumFlags } from './puppeteer-coupling.ts'
import { MARP_SELECTORS, PRESENTING_SCRIPT, type MarpSelectors } from '../marp/marp-contract.ts'

export interface FitProblem {
  /** What does not fit and how: `code block "class MyTask: …" goes below the slide`. */
  text: string
  /** The deck line of the block, where the page knows it. */
  line?: number
}

export interface SlideOverflow {
  /** 1-based slide number. */
  page: number
  problems: FitProblem[]
}

export interface SlideSize {
  width: number
  height: number
}

export interface FitOptions {
  size: SlideSize
  /** Smallest scale (0-1) auto-scaled code may have; below it the block is reported. */
  floor: number
}

/**
 * Slides laid out at a time. A page with every slide of a long deck laid out held ~1 GB at 1000
 * slides (and printing it as much again): the slides are measured and printed in groups of at most
 * this many, the others hidden (`display: none`, so not laid out). Each slide is a box of its own,
 * so what is measured does not depend on which others are shown.
 */
export const SLIDES_AT_ONCE = 250

/** Hides every slide not marked shown, from the first layout on (before the deck's own styles). */
const HIDE_SLIDES = `new MutationObserver((_, observer) => {
  if (!document.head) return
  observer.disconnect()
  const style = document.createElement('style')
  style.textContent = '${MARP_SELECTORS.slide}:not([data-deck-shown]) { display: none !important; }'
  document.head.prepend(style)
}).observe(document, { childList: true, subtree: true })`

/**
 * The deck as measured and printed: a copy without marp-cli's presenting script (keys, steps,
 * presenter view, transitions: nothing a printed page uses, the notes are in the HTML and steps
 * show in print; its start was a fifth of each load), beside the HTML (its relative links hold),
 * removed once loaded; the HTML itself where it has no such script or the folder cannot be written.
 */
function measuredCopy(htmlFile: string): { file: string; remove: () => void } {
  const html = readFileSync(htmlFile, 'utf8')
  const match = PRESENTING_SCRIPT.exec(html)
  if (!match) return { file: htmlFile, remove: () => undefined }
  const copy = path.join(path.dirname(htmlFile), `.${path.basename(htmlFile, '.html')}.measured-${randomBytes(4).toString('hex')}.html`)
  try {
    writeFileSync(copy, html.slice(0, match.index) + html.slice(match.index + match[0].length))
  } catch {
    return { file: htmlFile, remove: () => undefined }
  }
  return { file: copy, remove: () => rmSync(copy, { force: true }) }
}

/** The group of slides each page shows now, as `from-to`; and its group size where not the default. */
const shownGroups = new WeakMap<Page, string>()
const groupSizes = new WeakMap<Page, number>()

/**
 * Opens a rendered deck in the shared browser, laid out as printed, with its fonts and images
 * loaded; no slide is shown until showSlides() (measureDeck, and the PDF printer with it, show them in groups).
 */
export async function openDeck(htmlFile: string, size: SlideSize, options: { slidesAtOnce?: number } = {}): Promise<Page> {
  // The prepared page, if it is of the browser running now (not of one closed since).
  const early = prepared?.browser === sharedBrowser() ? await prepared.page.catch(() => undefined) : undefined
  prepared = undefined
  const page = early && !early.isClosed() ? early : await blankPage()
  if (options.slidesAtOnce) groupSizes.set(page, Math.max(1, options.slidesAtOnce))
  await page.setViewport({ width: size.width, height: size.height })
  const measured = measuredCopy(htmlFile)
  try {
    await page.goto(pathToFileURL(measured.file).href, { waitUntil: 'load', timeout: 0 })
  } finally {
    measured.remove()
  }
  await page.evaluate(loadResources)
  return page
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
 */
export async function preparePage(): Promise<void> {
  // What the browser's start waits for first (finding it, puppeteer's flags): awaited here, so that
  // Chromium is spawned before the caller goes on with its own work.
  await Promise.all([findBrowser(), chromiumFlags()]).catch(() => undefined)
  const browser = sharedBrowser()
  if (prepared?.browser === browser) return
  prepared = { browser, page: blankPage() }
  // A failed start (no browser) is openDeck's to report, or nobody's when none opens.
  browser.catch(() => undefined)
  prepared.page.catch(() => undefined)
}

/**
 * Hints for starting the browser early (preparePage), not verdicts. `builtBefore`: this deck has
 * built before (a deck built the first time, maybe broken, starts the browser only once it has
 * parsed); `likelyCached`: an HTML-only build of this very text is likely to find its fit verdict
 * cached. Kept among the verdicts, so that clearing them clears the hints.
 */
export function fitHint(deckPath: string, text: string): { builtBefore: boolean; likelyCached: boolean; rememberFitChecked: () => void; rememberBuilt: () => void } {
  const deckKey = cacheKey('built-hint', path.resolve(deckPath))
  const key = cacheKey('fit-hint', path.resolve(deckPath), text)
  return {
    builtBefore: readCache<boolean>('fit', deckKey) === true,
    likelyCached: readCache<boolean>('fit', key) === true,
    rememberFitChecked: () => writeCache('fit', key, true),
    rememberBuilt: () => writeCache('fit', deckKey, true),
  }
}

/** The groups of slides, `[from, to)` of 0-based pages, of about equal size. */
export async function slideGroups(page: Page): Promise<Array<[number, number]>> {
  const count = await page.evaluate((slide: string) => document.querySelectorAll(slide).length, MARP_SELECTORS.slide)
  const groups = Math.max(1, Math.ceil(count / (groupSizes.get(page) ?? SLIDES_AT_ONCE)))
  const size = Math.ceil(count / groups)
  return Array.from({ length: groups }, (_, index): [number, number] => [index * size, Math.min(count, (index + 1) * size)]).filter(([from, to]) => to > from)
}

/**
 * The groups in the order to visit them: the one shown now first (it is laid out already), then
 * the others in order.
 */
export async function groupsShownFirst(page: Page): Promise<Array<[number, number]>> {
  const groups = await slideGroups(page)
  const shown = groups.findIndex(([from, to]) => shownGroups.get(page) === `${from}-${to}`)
  return shown <= 0 ? groups : [groups[shown]!, ...groups.slice(0, shown), ...groups.slice(shown + 1)]
}

/** Shows the slides `[from, to)` alone, laid out and settled. */
export async function showSlides(page: Page, from: number, to: number): Promise<void> {
  if (shownGroups.get(page) === `${from}-${to}`) return
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
  await page.evaluate(settleSlides, MARP_SELECTORS)
  shownGroups.set(page, `${from}-${to}`)
}

/**
 * Measures an open deck, a group of slides at a time; `afterGroup` runs while a group is shown
 * (the PDF printed from the same layout, browser/pdf.ts).
 */
export async function measureDeck(page: Page, floor: number, afterGroup?: (from: number, to: number) => Promise<void>): Promise<SlideOverflow[]> {
  const found: SlideOverflow[] = []
  for (const [from, to] of await groupsShownFirst(page)) {
    await showSlides(page, from, to)
    found.push(...(await page.evaluate(measureSlides, floor, from, MARP_SELECTORS)))
    await afterGroup?.(from, to)
  }
  return found.sort((a, b) => a.page - b.page)
}

/**
 * The fit check alone (a build without PDF): the verdict is remembered under everything it depends
 * on (the HTML, the browser build, this file's code), so an unchanged deck needs no browser.
 */
export async function checkOverflow(htmlFile: string, options: FitOptions): Promise<SlideOverflow[]> {
  const key = createHash('sha256')
    .update(readFileSync(htmlFile))
    .update(JSON.stringify(options))
    .update(await browserIdentity())
    .update(HIDE_SLIDES)
    .update(PRESENTING_SCRIPT.source)
    .update(String(SLIDES_AT_ONCE))
    .update(JSON.stringify(MARP_SELECTORS))
    .update(loadResources.toString())
    .update(settleSlides.toString())
    .update(measureSlides.toString())
    .digest('hex')
  const cached = readCache<SlideOverflow[]>('fit', key)
  if (cached) return cached
  const page = await openDeck(htmlFile, options.size)
  try {
    const result = await measureDeck(page, options.floor)
    writeCache('fit', key, result)
    return result
  } finally {
    await page.close()
  }
}

// ---- Runs in the page (serialised: self-contained, no imports, no closures) ----

/** Waits for fonts and images. */
async function loadResources(): Promise<void> {
  // Every declared face, not only those the first layout asked for: a face first needed by a
  // later slide would otherwise still be loading when fonts.ready resolves.
  await Promise.all([...document.fonts].map((face) => face.load().catch(() => undefined)))
  await document.fonts.ready
  await Promise.all([...document.images].map((image) => image.decode().catch(() => undefined)))
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

/** Measures the shown slides; `first`: the 0-based page of the first of them. */
async function measureSlides(floor: number, first: number, marp: MarpSelectors): Promise<SlideOverflow[]> {
  const tolerance = 1.5
  const NAMES: Record<string, string> = {
    'marp-pre': 'code block', pre: 'code block', ul: 'list', ol: 'list', dl: 'list', table: 'table', img: 'image',
    figure: 'figure', p: 'paragraph', blockquote: 'quote', li: 'list item',
  }
  const describe = (element: Element): string => {
    const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ')
    const tag = element.tagName.toLowerCase()
    const name = element.classList.contains('console')
      ? 'output'
      : (NAMES[tag] ?? (element.classList.contains('block') ? 'block' : element.classList.contains('columns') ? 'columns' : tag))
    // A version of a block that lists them (marp/build-evolve.ts) is named with its step.
    const version = element.closest('[data-version]')?.getAttribute('data-version')
    const named = text ? `${name} "${text.length > 30 ? `${text.slice(0, 30)}…` : text}"` : name
    return version ? `${named} (${version})` : named
  }
  // The deck line: the element's own marker, else the first inside it, else the nearest around it.
  const lineOf = (element: Element): number | undefined => {
    const marked = element.matches('[data-line]') ? element : (element.querySelector('[data-line]') ?? element.closest('[data-line]'))
    const line = Number(marked?.getAttribute('data-line'))
    return Number.isInteger(line) && line > 0 ? line : undefined
  }
  const sections = [...document.querySelectorAll('svg[data-deck-shown] > foreignObject > section')]
  return sections.flatMap((section, index) => {
    const problems = new Map<string, FitProblem>()
    const add = (element: Element | undefined, text: string) => {
      if (problems.has(text)) return
      const line = element ? lineOf(element) : undefined
      problems.set(text, line ? { text, line } : { text })
    }
    const box = section.getBoundingClientRect()
    // px of the page per CSS px of the slide (1 when the viewport has the slide's size)
    const zoom = box.width / (section as HTMLElement).offsetWidth
    const title = section.querySelector(':scope > h2')
    if (title && title.scrollWidth > title.clientWidth + tolerance) add(undefined, 'the frame title is wider than its bar')
    const titleBottom = title ? title.getBoundingClientRect().bottom : (section.querySelector('nav.headline')?.getBoundingClientRect().top ?? box.top)
    const body = section.querySelector(':scope > .frame-body, :scope > .titlepage, :scope > .toc')
    if (body) {
      const bodyBox = body.getBoundingClientRect()
      if (title && bodyBox.top < titleBottom - tolerance) add(undefined, 'content reaches behind the headline')
      // The outermost element that sticks out is reported, not each of its descendants.
      const reported: Element[] = []
      for (const element of body.querySelectorAll('*')) {
        if (reported.some((outer) => outer.contains(element))) continue
        // An auto-scaled block is one unit (its host); a console <pre> too (it wraps its lines).
        const unit = element.parentElement?.closest(`${marp.autoScalingHost}, pre`)
        if (unit && body.contains(unit)) continue
        // The versions of a block are measured each, not the stack of them.
        if (element.classList.contains('evolve') || element.classList.contains('evolve-version')) continue
        const rect = element.getBoundingClientRect()
        if (rect.width === 0 && rect.height === 0) continue
        const before = problems.size
        if (element.matches(marp.autoScalingHost)) {
          const svg = element.shadowRoot?.querySelector(marp.autoScaling)?.shadowRoot?.querySelector('svg')
          const natural = svg?.viewBox.baseVal.width ?? 0
          const scale = natural > 0 ? svg!.getBoundingClientRect().width / zoom / natural : 1
          if (scale < floor - 0.005) {
            add(element, `${describe(element)} shrunk to ${Math.round(scale * 100)} % (the floor is ${Math.round(floor * 100)} %): split the slide or widen the column`)
          }
        }
        if (element.tagName === 'PRE' && element.scrollWidth > element.clientWidth + tolerance) add(element, `${describe(element)} is wider than its box`)
        if (rect.bottom > box.bottom + tolerance) add(element, `${describe(element)} goes below the slide`)
        else if (rect.right > box.right + tolerance || rect.left < box.left - tolerance) add(element, `${describe(element)} goes beside the slide`)
        else {
          // A block's box reaches 4 bp past its column on purpose, as in beamer: what is in a
          // block is measured against the block, the block against its column with that margin.
          const container = element.parentElement?.closest('.block, .column')
          const outset = element.classList.contains('block') ? 1.5 * zoom * 8 : 0
          if (container && rect.right > container.getBoundingClientRect().right + outset + tolerance) {
            add(element, `${describe(element)} goes beside its ${container.classList.contains('block') ? 'block' : 'column'}`)
          }
        }
        if (problems.size > before) reported.push(element)
      }
    }
    const list = [...problems.values()].slice(0, 4)
    return list.length > 0 ? [{ page: first + index + 1, problems: list }] : []
  })
}
