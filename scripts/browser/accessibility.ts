/**
 * The accessibility check, run with the fit check on the same page (each group of slides while it
 * is laid out): an image without alt text, and text whose contrast against its background is under
 * WCAG AA (4.5:1; 3:1 for large text: 24 px, or 18.66 px bold, in the slide's CSS px at its own
 * size, 1280 px wide at 16:9) in the colours the theme gives it. Findings carry the deck line of
 * the element, where the page knows it. (A slide without a title is found in the slide model: the
 * build reports it.)
 */
import type { Page } from 'puppeteer-core'
import type { FitProblem } from './overflow.ts'
import { MARP_SELECTORS, type MarpSelectors } from '../marp/marp-contract.ts'

export interface AccessibilityProblem extends FitProblem {
  /** For a contrast finding: the colour pair (`#60a0b0 on #ffffff`), the same on every slide. */
  pair?: string
}

export interface AccessibilityFinding {
  /** 1-based page of the printed deck. */
  page: number
  problems: AccessibilityProblem[]
}

/** Checks the shown slides `[from, to)`. */
export async function checkAccessibility(page: Page, from: number, to: number): Promise<AccessibilityFinding[]> {
  return page.evaluate(inspectSlides, from, to, MARP_SELECTORS)
}

// ---- Runs in the page (serialised: self-contained, no imports, no closures) ----

function inspectSlides(from: number, to: number, marp: MarpSelectors): AccessibilityFinding[] {
  type Rgba = [number, number, number, number]
  const parse = (color: string): Rgba | undefined => {
    const match = /rgba?\(([^)]+)\)/.exec(color)
    if (!match) return undefined
    const parts = match[1]!.split(/[\s,/]+/).filter(Boolean).map(Number)
    return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1]
  }
  // `over` painted on top of the opaque `under`
  const blend = (over: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => over[i]! * over[3] + under[i]! * (1 - over[3])).concat(1) as Rgba
  const luminance = ([r, g, b]: Rgba) => {
    const channel = (value: number) => {
      const c = value / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
  }
  const contrast = (a: Rgba, b: Rgba) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
    return (x! + 0.05) / (y! + 0.05)
  }
  const hex = ([r, g, b]: Rgba) => `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`
  /** The opaque colour behind `element`; undefined where a picture or gradient is behind it. */
  // Text nodes share their elements, elements their backgrounds: each element judged once.
  const backgrounds = new Map<Element, Rgba | undefined>()
  const background = (element: Element): Rgba | undefined => {
    if (!backgrounds.has(element)) backgrounds.set(element, findBackground(element))
    return backgrounds.get(element)
  }
  const findBackground = (element: Element): Rgba | undefined => {
    const layers: Rgba[] = []
    const box = element.getBoundingClientRect()
    const [x, y] = [box.left + box.width / 2, box.top + box.height / 2]
    const zIndex = (node: Element) => Number(getComputedStyle(node).zIndex) || 0
    for (let node: Element | null = element; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)) {
      const style = getComputedStyle(node)
      if (style.backgroundImage !== 'none') return undefined
      const color = parse(style.backgroundColor)
      if (color && color[3] > 0) {
        layers.push(color)
        if (color[3] >= 1) break
      }
      // A positioned sibling drawn behind it (the headline's bar behind the frame title): what it
      // paints is behind the text; a gradient or picture there cannot be judged, so it is left.
      if (style.position === 'absolute' || style.position === 'fixed') {
        for (const sibling of node.parentElement?.children ?? []) {
          if (sibling === node || zIndex(sibling) > zIndex(node)) continue
          const rect = sibling.getBoundingClientRect()
          if (x < rect.left || x > rect.right || y < rect.top || y > rect.bottom) continue
          const painted = getComputedStyle(sibling)
          if (painted.backgroundImage !== 'none') return undefined
          const own = parse(painted.backgroundColor)
          if (own && own[3] >= 1) {
            layers.push(own)
            return layers.reverse().reduce<Rgba>((under, over) => (over[3] >= 1 ? over : blend(over, under)), [255, 255, 255, 1])
          }
        }
      }
      if (node.tagName === 'SECTION' && node.parentElement?.tagName === 'foreignObject') break
    }
    let result: Rgba = [255, 255, 255, 1]
    for (const layer of layers.reverse()) result = layer[3] >= 1 ? layer : blend(layer, result)
    return result
  }
  // The deck line: the element's own marker, else the marker that opens the block around it (an
  // empty span first in a paragraph: marp/source-line.ts).
  const lineOf = (element: Element): number | undefined => {
    for (let node: Element | null = element; node && node.tagName !== 'SECTION'; node = node.parentElement) {
      const marked = node.matches('[data-line]') ? node : node.querySelector(':scope > [data-line]')
      const line = Number(marked?.getAttribute('data-line'))
      if (Number.isInteger(line) && line > 0) return line
    }
    return undefined
  }
  const quote = (text: string) => {
    const flat = text.trim().replace(/\s+/g, ' ')
    return flat.length > 30 ? `${flat.slice(0, 30)}…` : flat
  }
  const sections = [...document.querySelectorAll(marp.slide)].slice(from, to).map((svg) => svg.querySelector(marp.slideSection))
  return sections.flatMap((section, index): AccessibilityFinding[] => {
    if (!section) return []
    const problems: AccessibilityProblem[] = []
    const add = (element: Element, text: string, pair?: string) => {
      const line = lineOf(element)
      problems.push({ text, ...(line ? { line } : {}), ...(pair ? { pair } : {}) })
    }
    // What the theme draws on every slide (the headline, the logo) is not the author's.
    const own = (element: Element) => !element.closest('nav.headline, .logo, .titlegraphic')
    for (const image of section.querySelectorAll('img')) {
      if (own(image) && !(image.getAttribute('alt') ?? '').trim()) add(image, 'an image has no alt text (say what it shows in the brackets: ![what it shows](file))')
    }
    const pairs = new Set<string>()
    const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT)
    const seen = new Set<Element>()
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement
      if (!element || seen.has(element) || !node.textContent?.trim() || !own(element)) continue
      seen.add(element)
      const style = getComputedStyle(element)
      if (style.visibility !== 'visible' || style.display === 'none' || element.getClientRects().length === 0) continue
      const color = parse(style.color)
      const behind = background(element)
      if (!color || !behind) continue
      const shown = color[3] >= 1 ? color : blend(color, behind)
      const size = parseFloat(style.fontSize)
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
      const needed = large ? 3 : 4.5
      const ratio = contrast(shown, behind)
      const pair = `${hex(shown)}/${hex(behind)}`
      if (ratio >= needed || pairs.has(pair)) continue
      pairs.add(pair)
      add(element, `text "${quote(node.textContent)}" has a contrast of ${ratio.toFixed(2)}:1 (${hex(shown)} on ${hex(behind)}; WCAG AA asks ${needed}:1 for ${large ? 'large' : 'this'} text)`, `${hex(shown)} on ${hex(behind)}`)
    }
    return problems.length > 0 ? [{ page: from + index + 1, problems }] : []
  })
}
