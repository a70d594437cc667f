/**
 * The overflow check: opens the rendered HTML in the browser and measures every slide. Content
 * that goes past its box (below the slide, beside the slide or its column, behind the headline,
 * a frame title wider than its bar) is reported with the slide's number; Marp's own code
 * auto-scaling is respected (a scaled block fits by construction).
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectRoot } from '../paths.ts'
import { launchBrowser } from './browser.ts'

export interface SlideOverflow {
  /** 1-based slide number. */
  page: number
  problems: string[]
}

export interface SlideSize {
  width: number
  height: number
}

/**
 * Measures the slides of `htmlFile`. The result is remembered by the HTML's hash (.cache/overflow):
 * a rebuild that renders the same HTML needs no second browser.
 */
export async function checkOverflow(htmlFile: string, size: SlideSize): Promise<SlideOverflow[]> {
  const hash = createHash('sha256').update(readFileSync(htmlFile)).update(JSON.stringify(size)).digest('hex').slice(0, 32)
  const cached = path.join(projectRoot, '.cache', 'overflow', `${hash}.json`)
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as SlideOverflow[]
  const result = await measureInBrowser(htmlFile, size)
  mkdirSync(path.dirname(cached), { recursive: true })
  writeFileSync(cached, JSON.stringify(result))
  return result
}

async function measureInBrowser(htmlFile: string, size: SlideSize): Promise<SlideOverflow[]> {
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage()
    await page.setViewport({ width: size.width, height: size.height })
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' })
    return await page.evaluate(measureSlides)
  } finally {
    await browser.close()
  }
}

/** Runs in the page. */
async function measureSlides(): Promise<SlideOverflow[]> {
  await document.fonts.ready
  await Promise.all([...document.images].map((image) => image.decode().catch(() => undefined)))
  const tolerance = 1.5
  const NAMES: Record<string, string> = {
    'marp-pre': 'code block', pre: 'code block', ul: 'list', ol: 'list', table: 'table', img: 'image',
    figure: 'figure', p: 'paragraph', blockquote: 'quote', li: 'list item',
  }
  const describe = (element: Element): string => {
    const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ')
    const tag = element.tagName.toLowerCase()
    const name = NAMES[tag] ?? (element.classList.contains('block') ? 'block' : element.classList.contains('columns') ? 'columns' : tag)
    return text ? `${name} "${text.length > 30 ? `${text.slice(0, 30)}…` : text}"` : name
  }
  const sections = [...document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section')]
  return sections.flatMap((section, index) => {
    const problems = new Set<string>()
    const box = section.getBoundingClientRect()
    const title = section.querySelector(':scope > h2')
    if (title && title.scrollWidth > title.clientWidth + tolerance) problems.add(`the frame title is wider than its bar`)
    const titleBottom = title ? title.getBoundingClientRect().bottom : (section.querySelector('nav.headline')?.getBoundingClientRect().top ?? box.top)
    const body = section.querySelector(':scope > .frame-body, :scope > .titlepage, :scope > .toc')
    if (body) {
      const bodyBox = body.getBoundingClientRect()
      if (title && bodyBox.top < titleBottom - tolerance) problems.add('content reaches behind the headline')
      // Report the outermost element that sticks out, not each of its descendants.
      const reported: Element[] = []
      for (const element of body.querySelectorAll('*')) {
        if (reported.some((outer) => outer.contains(element))) continue
        // Inside an auto-scaled code block (an svg within the slide), the scaling takes care of width.
        const svg = element.parentElement?.closest('svg')
        if (svg && section.contains(svg)) continue
        const rect = element.getBoundingClientRect()
        if (rect.width === 0 && rect.height === 0) continue
        const before = problems.size
        if (rect.bottom > box.bottom + tolerance) problems.add(`${describe(element)} goes below the slide`)
        else if (rect.right > box.right + tolerance || rect.left < box.left - tolerance) problems.add(`${describe(element)} goes beside the slide`)
        else {
          // A block's box reaches 4 bp past its column on purpose, as in beamer: what is in a
          // block is measured against the block, the block against its column with that margin.
          const container = element.parentElement?.closest('.block, .column')
          const outset = element.classList.contains('block') ? 1.5 * (box.width / section.clientWidth) * 8 : 0
          if (container && rect.right > container.getBoundingClientRect().right + outset + tolerance) {
            problems.add(`${describe(element)} goes beside its ${container.classList.contains('block') ? 'block' : 'column'}`)
          }
        }
        if (problems.size > before) reported.push(element)
      }
    }
    const list = [...problems].slice(0, 4)
    return list.length > 0 ? [{ page: index + 1, problems: list }] : []
  })
}
