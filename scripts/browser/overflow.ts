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
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'puppeteer-core'
import { cacheKey, readCache, writeCache } from '../core/cache.ts'
import { browserIdentity } from './browser.ts'
import { DECK_PAGE_CODE, openDeck, type OpenDeck, type SlideSize } from './deck-page.ts'
import { MARP_SELECTORS, NOTE_ELEMENT, SLIDE_START, type MarpSelectors } from '../marp/marp-contract.ts'

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

export interface FitOptions {
  size: SlideSize
  /** Smallest scale (0-1) auto-scaled code may have; below it the block is reported. */
  floor: number
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

/**
 * Measures an open deck (browser/deck-page.ts), a group of slides at a time; `afterGroup` runs on
 * the page that shows the group (the PDF printed from the same layout, browser/pdf.ts).
 */
export async function measureDeck(deck: OpenDeck, floor: number, afterGroup?: (page: Page, from: number, to: number) => Promise<void>): Promise<SlideOverflow[]> {
  const found: SlideOverflow[] = []
  await deck.forEachGroup(async (page, from, to) => {
    found.push(...(await page.evaluate(measureSlides, floor, from, MARP_SELECTORS)))
    await afterGroup?.(page, from, to)
  })
  return found.sort((a, b) => a.page - b.page)
}

const DATA_LINE = /data-line="(\d+)"/g

/**
 * The fit check alone (a build without PDF). Each slide's verdict is remembered (fitMemory) under
 * what it depends on, so a save that changes one slide measures that one (opened alone,
 * browser/deck-page.ts), and an unchanged deck needs no browser.
 */
export async function checkOverflow(htmlFile: string, options: FitOptions, text?: string): Promise<{ overflows: SlideOverflow[]; measured: number; slides: number }> {
  const memory = await fitMemory(htmlFile, options, text)
  const { unknown } = memory
  // The slides from the first to the last not known (those between them are measured again).
  const measured = unknown.length > 0 ? unknown.at(-1)! + 1 - unknown[0]! : 0
  if (unknown.length > 0) {
    const deck = await openDeck(htmlFile, options.size, { slides: [unknown[0]!, unknown.at(-1)! + 1], ...(text === undefined ? {} : { text }) })
    try {
      memory.remember(await measureDeck(deck, options.floor), [unknown[0]!, unknown.at(-1)! + 1])
    } finally {
      await deck.close()
    }
  }
  return { overflows: memory.overflows(), measured, slides: memory.slides }
}

/**
 * The remembered verdicts of a page's slides (`text`: the file's, where the caller has it), each
 * under what it depends on: the page around the slides (styles, scripts; not the notes' text), the
 * slide's own markup, the browser build and this code (each slide is a box of its own). `unknown`: the 0-based slides without one;
 * remember() keeps the verdicts of the slides `[from, to)` (a PDF build remembers those of the
 * HTML it printed from, when that is the HTML output).
 */
export async function fitMemory(htmlFile: string, options: FitOptions, text = readFileSync(htmlFile, 'utf8')): Promise<{
  slides: number
  unknown: number[]
  remember(found: SlideOverflow[], measured: readonly [number, number]): void
  overflows(): SlideOverflow[]
}> {
  const [frame = '', ...slides] = text.split(SLIDE_START)
  // The last slide's chunk runs on to the end of the page: the slide is up to its svg's end.
  const last = slides.at(-1) ?? ''
  const svgEnd = '</foreignObject></svg>'
  const end = last.lastIndexOf(svgEnd) + svgEnd.length
  const tail = end >= svgEnd.length ? last.slice(end) : ''
  if (tail) slides[slides.length - 1] = last.slice(0, end)
  const around = frame + tail.replace(NOTE_ELEMENT, (_, open: string, _index, _body, close: string) => open + close)
  const key = cacheKey('fit', around, JSON.stringify(options), await browserIdentity(), DECK_PAGE_CODE, JSON.stringify(MARP_SELECTORS), measureSlides.toString())
  const known = readCache<Record<string, FitProblem[]>>('fit', key) ?? {}
  // A slide's markup holds its deck lines (`data-line`): a slide whose lines moved (text added
  // above it) is the same slide. Its key has the lines counted from its first, and so has its
  // verdict (the problems' lines), put back in place when read.
  const slideKeys: string[] = []
  const firstLines: number[] = []
  for (const slide of slides) {
    const first = Math.min(...[...slide.matchAll(DATA_LINE)].map((match) => Number(match[1])))
    const base = Number.isFinite(first) ? first : 0
    firstLines.push(base)
    slideKeys.push(cacheKey(slide.replace(DATA_LINE, (_, line: string) => `data-line="+${Number(line) - base}"`)))
  }
  return {
    slides: slides.length,
    unknown: slideKeys.flatMap((slideKey, index) => (known[slideKey] ? [] : [index])),
    remember(found, [from, to]) {
      const byPage = new Map(found.map(({ page, problems }) => [page, problems]))
      for (let index = from; index < to && index < slides.length; index++) {
        known[slideKeys[index]!] = (byPage.get(index + 1) ?? []).map((problem) => (problem.line === undefined ? problem : { ...problem, line: problem.line - firstLines[index]! }))
      }
      if (slideKeys.every((slideKey) => known[slideKey])) writeCache('fit', key, Object.fromEntries(slideKeys.map((slideKey) => [slideKey, known[slideKey]!])))
    },
    overflows: () =>
      slideKeys.flatMap((slideKey, index) => {
        const problems = (known[slideKey] ?? []).map((problem) => (problem.line === undefined ? problem : { ...problem, line: problem.line + firstLines[index]! }))
        return problems.length > 0 ? [{ page: index + 1, problems }] : []
      }),
  }
}

// ---- Runs in the page (serialised: self-contained, no imports, no closures) ----

/** Measures the shown slides; `first`: the 0-based page of the first of them. */
async function measureSlides(floor: number, first: number, marp: MarpSelectors): Promise<SlideOverflow[]> {
  const tolerance = 1.5
  const NAMES: Record<string, string> = {
    'marp-pre': 'code block', pre: 'code block', ul: 'list', ol: 'list', dl: 'list', table: 'table', img: 'image',
    figure: 'figure', p: 'paragraph', blockquote: 'quote', li: 'list item',
  }
  const describe = (element: Element): string => {
    const tag = element.tagName.toLowerCase()
    // Code and output keep their line breaks, marked: their lines run together otherwise.
    const lines = tag === 'pre' || tag === 'marp-pre' ? (element.textContent ?? '').split('\n') : [element.textContent ?? '']
    const text = lines.map((line) => line.trim().replace(/\s+/g, ' ')).filter((line) => line !== '').join(' \u23CE ')
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
        // By how much, in the slide's px and (below) in lines of the element's text: what to cut.
        if (rect.bottom > box.bottom + tolerance) {
          const over = (rect.bottom - box.bottom) / zoom
          const style = getComputedStyle(element)
          const lineHeight = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.2
          const lines = Math.max(1, Math.ceil(over / lineHeight))
          add(element, `${describe(element)} goes below the slide by ${Math.round(over)} px (about ${lines} line${lines === 1 ? '' : 's'})`)
        } else if (rect.right > box.right + tolerance || rect.left < box.left - tolerance) {
          add(element, `${describe(element)} goes beside the slide by ${Math.round(Math.max(rect.right - box.right, box.left - rect.left) / zoom)} px`)
        } else {
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
