/**
 * The headline's links in the PDF (the current section's dots, every section's name) written by
 * the join (browser/pdf-join.ts), not printed as links. Each dot is an `<a>` of its own
 * (marp/headline.ts): at 1000 slides in 20 sections, 51 of a slide's 113 headline elements, and
 * Chromium styles, lays out, paints and annotates each shown element again for every print of a
 * group; and each link it prints costs it more (the names' 20 links a slide: 0.65 s of 5.3 s of
 * printing at 1000 slides). The page the PDF is printed from keeps only the current dot (its disc;
 * the row's image draws the rings either way) and the names without their links.
 */
import type { Page } from 'puppeteer-core'
import type { MarpSelectors } from '../marp/marp-contract.ts'

/**
 * A link of a page: 0-based page, its box in CSS px from the slide's top left, the named
 * destination and its 0-based page (Chromium names only the targets of links it prints: the join
 * adds the others).
 */
export interface PageLink {
  page: number
  rect: [number, number, number, number]
  dest: string
  target: number
}

/**
 * Runs in the page once it is loaded, before any slide is laid out: each section name keeps its
 * target (`data-link`) without its link; each current section's row keeps its dots' targets
 * (`data-links`) and only the current dot, without its link, at its place.
 * A grid of one column per dot puts it there: its position is the same sum of dots and gaps as in
 * the row's flex layout, rounded as that is (a margin of the same width is rounded once: the disc
 * was drawn a pixel aside on some pages).
 */
export function unlinkHeadline(): void {
  for (const name of document.querySelectorAll<HTMLAnchorElement>('nav.headline a.name[href^="#"]')) {
    name.dataset.link = name.getAttribute('href')!.slice(1)
    name.removeAttribute('href')
  }
  for (const row of document.querySelectorAll<HTMLElement>('nav.headline li.current .dots')) {
    const dots = [...row.querySelectorAll<HTMLAnchorElement>(':scope > a.dot')]
    const current = dots.findIndex((dot) => dot.classList.contains('current'))
    if (current < 0 || dots.some((dot) => !dot.getAttribute('href')?.startsWith('#'))) continue
    row.dataset.links = dots.map((dot) => dot.getAttribute('href')!.slice(1)).join(' ')
    row.style.display = 'grid'
    row.style.gridTemplateColumns = `repeat(${dots.length}, var(--dot-size))`
    dots.forEach((dot, at) => {
      if (at !== current) return dot.remove()
      dot.removeAttribute('href')
      dot.style.gridColumn = String(at + 1)
    })
  }
}

/** Runs in the page before printing the slides `[from, to)`: their headline's links (unlinkHeadline). */
export function headlineLinks(from: number, to: number, marp: MarpSelectors): PageLink[] {
  const slides = [...document.querySelectorAll(marp.slide)]
  const indexes = new Map(slides.map((slide, index) => [slide, index]))
  const pageOf = (id: string) => indexes.get(document.getElementById(id)?.closest(marp.slide) as Element) ?? -1
  const links: PageLink[] = []
  slides.slice(from, to).forEach((slide, index) => {
    const { width, height } = (slide as SVGSVGElement).viewBox.baseVal
    const box = slide.getBoundingClientRect()
    const scale = box.width / width
    // As Chromium prints a link: snapped to whole px, cut to the page.
    const cut = (value: number, end: number) => Math.min(end, Math.max(0, Math.round(value)))
    const add = (link: PageLink) => {
      if (link.target >= 0 && link.rect[2] > link.rect[0] && link.rect[3] > link.rect[1]) links.push(link)
    }
    for (const name of slide.querySelectorAll<HTMLElement>('nav.headline a.name[data-link]')) {
      // Its box with its text's (the text's line runs past a box of line-height 1), as
      // Chromium's link covers both.
      const own = name.getBoundingClientRect()
      const range = document.createRange()
      range.selectNodeContents(name)
      const text = range.getBoundingClientRect()
      const rect = { left: Math.min(own.left, text.left), top: Math.min(own.top, text.top), right: Math.max(own.right, text.right), bottom: Math.max(own.bottom, text.bottom) }
      const [left, top, right, bottom] = [rect.left - box.left, rect.top - box.top, rect.right - box.left, rect.bottom - box.top].map((value) => value / scale) as [number, number, number, number]
      add({ page: from + index, rect: [cut(left, width), cut(top, height), cut(right, width), cut(bottom, height)], dest: name.dataset.link!, target: pageOf(name.dataset.link!) })
    }
    const row = slide.querySelector<HTMLElement>('nav.headline .dots[data-links]')
    if (!row) return
    const style = getComputedStyle(row)
    const [size, gap] = [parseFloat(style.gridTemplateColumns), parseFloat(style.columnGap) || 0]
    const rect = row.getBoundingClientRect()
    const left = (rect.left - box.left) / scale + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft)
    const top = (rect.top - box.top) / scale + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop)
    // (a long row of the current section can run off the page)
    row.dataset.links!.split(' ').forEach((dest, at) => {
      const x = left + at * (size + gap)
      add({ page: from + index, rect: [cut(x, width), cut(top, height), cut(x + size, width), cut(top + size, height)], dest, target: pageOf(dest) })
    })
  })
  return links
}

/** For openDeck's `prepare` (browser/deck-page.ts): the pages a PDF is printed from. */
export async function printedHeadline(page: Page): Promise<void> {
  await page.evaluate(unlinkHeadline)
}
