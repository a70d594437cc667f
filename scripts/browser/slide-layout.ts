/**
 * What of each shown slide can be editable text or a picture of its own in a PPTX (export/pptx.ts):
 * the frame title, the title page's and a section page's text, paragraphs, lists and code and
 * output blocks as boxes of coloured, styled runs where the page draws them; images with their
 * source. Read from the page the build has open, in the slide's CSS px; each element read is marked
 * (`data-deck-editable`), so that a picture of the rest can be taken without it (browser/images.ts).
 * What is not read (the headline, the title bar, blocks' frames, tables, maths, columns' rules)
 * stays in that picture.
 */
import type { Page } from 'puppeteer-core'
import { MARP_SELECTORS, type MarpSelectors } from '../marp/marp-contract.ts'

export interface TextRun {
  text: string
  /** `#rrggbb` */
  color: string
  bold: boolean
  italic: boolean
  font: string
  /** In the slide's px, as drawn (auto-scaled code shrunk). */
  size: number
}

export interface TextParagraph {
  runs: TextRun[]
  /** A list item: its level (0 outermost) and whether its list is numbered. */
  bullet?: { level: number; numbered: boolean }
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export type SlideItem =
  | ({ kind: 'text'; paragraphs: TextParagraph[]; align: 'left' | 'center' | 'right'; fill?: string; /** px between baselines, as drawn */ lineHeight?: number } & Box)
  | ({ kind: 'image'; src: string; alt: string } & Box)

export const EDITABLE = '[data-deck-editable]'

/** The editable items of the shown slides `[from, to)`, one list per slide. */
export async function readSlideLayouts(page: Page, from: number, to: number): Promise<SlideItem[][]> {
  return page.evaluate(readShown, from, to, MARP_SELECTORS)
}

/** Unmarks what readSlideLayouts() marked. */
export async function clearEditableMarks(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const element of document.querySelectorAll('[data-deck-editable]')) element.removeAttribute('data-deck-editable')
  })
}

// ---- Runs in the page (serialised: self-contained, no imports, no closures) ----

function readShown(from: number, to: number, marp: MarpSelectors): SlideItem[][] {
  const hex = (color: string): string | undefined => {
    const parts = /rgba?\(([^)]+)\)/.exec(color)?.[1]?.split(/[\s,/]+/).filter(Boolean).map(Number)
    if (!parts || (parts[3] ?? 1) < 1) return undefined
    return `#${parts.slice(0, 3).map((value) => Math.round(value).toString(16).padStart(2, '0')).join('')}`
  }
  const CANDIDATES = 'section > h2, .section-page, .titlepage p, .frame-body p, .frame-body ul, .frame-body ol, .frame-body pre, .frame-body marp-pre, .footnotes .footnote'
  // What cannot be text in a PowerPoint text box: maths, pictures inside text, inline SVG.
  const UNREADABLE = 'img, svg, math, .katex, mjx-container, table, input'
  const slides = [...document.querySelectorAll(marp.slide)].slice(from, to)
  return slides.map((svg) => {
    const section = svg.querySelector(marp.slideSection)
    if (!section) return []
    const origin = section.getBoundingClientRect()
    // px of the page per px of the slide
    const zoom = origin.width / (section as HTMLElement).offsetWidth
    const boxOf = (element: Element) => {
      const rect = element.getBoundingClientRect()
      return { x: (rect.left - origin.left) / zoom, y: (rect.top - origin.top) / zoom, width: rect.width / zoom, height: rect.height / zoom }
    }
    const items: SlideItem[] = []
    const taken: Element[] = []
    const visible = (element: Element) => {
      const style = getComputedStyle(element)
      return style.display !== 'none' && style.visibility === 'visible' && element.getClientRects().length > 0
    }
    /** The runs of `root`'s text, paragraphs split at line breaks (code lines, <br>) and list items. */
    const paragraphsOf = (root: Element): TextParagraph[] => {
      const paragraphs: TextParagraph[] = [{ runs: [] }]
      const current = () => paragraphs[paragraphs.length - 1]!
      // Auto-scaled code is drawn smaller than its font size: the scale of its <code> as drawn.
      const scaled = root.querySelector('code') ?? root
      const scale = (scaled as HTMLElement).offsetWidth > 0 ? scaled.getBoundingClientRect().width / zoom / (scaled as HTMLElement).offsetWidth : 1
      const walk = (node: Node, level: number, numbered: boolean) => {
        if (node.nodeType === Node.TEXT_NODE) {
          const element = node.parentElement!
          if (!visible(element)) return
          const style = getComputedStyle(element)
          const lines = (node.textContent ?? '').split('\n')
          const pre = style.whiteSpace.startsWith('pre')
          lines.forEach((line, index) => {
            if (index > 0) paragraphs.push({ runs: [], ...(current().bullet ? { bullet: current().bullet! } : {}) })
            // XML 1.0 has no place for C0 control characters (a program's output may hold some).
            const text = (pre ? line : line.replace(/\s+/g, ' ')).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd')
            if (!text) return
            current().runs.push({
              text,
              color: hex(style.color) ?? '#000000',
              bold: Number(style.fontWeight) >= 600,
              italic: style.fontStyle === 'italic',
              font: style.fontFamily.split(',')[0]!.replace(/["']/g, '').trim(),
              size: parseFloat(style.fontSize) * scale,
            })
          })
          return
        }
        if (!(node instanceof Element) || node.hasAttribute('hidden')) return
        if (node.tagName === 'BR') {
          paragraphs.push({ runs: [] })
          return
        }
        if (node.tagName === 'LI') {
          if (current().runs.length > 0 || current().bullet) paragraphs.push({ runs: [] })
          current().bullet = { level, numbered }
          for (const child of node.childNodes) walk(child, level, numbered)
          return
        }
        if (node.tagName === 'UL' || node.tagName === 'OL') {
          const inner = root === node ? level : level + 1
          for (const child of node.childNodes) walk(child, inner, node.tagName === 'OL')
          return
        }
        // A block inside (a paragraph in a list item, a code line drawn as a block): a paragraph of its own.
        const display = getComputedStyle(node).display
        const block = node !== root && !display.startsWith('inline') && display !== 'contents'
        if (block && current().runs.length > 0) paragraphs.push({ runs: [], ...(current().bullet ? { bullet: current().bullet! } : {}) })
        for (const child of node.childNodes) walk(child, level, numbered)
        // A code line ends its paragraph (an empty line stays an empty paragraph).
        if (block && node.closest('pre')) paragraphs.push({ runs: [] })
      }
      walk(root, 0, false)
      // Trailing empty paragraphs (the newline that ends a code block) go.
      while (paragraphs.length > 1 && current().runs.length === 0) paragraphs.pop()
      return paragraphs
    }
    for (const element of section.querySelectorAll(CANDIDATES)) {
      if (!visible(element) || element.closest('nav.headline') || taken.some((outer) => outer.contains(element))) continue
      const code = /^(MARP-)?PRE$/.test(element.tagName)
      if (element.querySelector(UNREADABLE) && !code) continue
      const paragraphs = paragraphsOf(element)
      if (!paragraphs.some((paragraph) => paragraph.runs.length > 0)) continue
      const style = getComputedStyle(element)
      const align = style.textAlign === 'center' ? 'center' : style.textAlign === 'right' || style.textAlign === 'end' ? 'right' : 'left'
      const fill = code ? (hex(style.backgroundColor) ?? hex(getComputedStyle(element.firstElementChild ?? element).backgroundColor)) : undefined
      // The line height as drawn: a code line's (auto-scaled code at its scale), else the element's.
      const lineElement = element.querySelector('code .line') ?? element
      const scaled = element.querySelector('code') ?? element
      const scale = (scaled as HTMLElement).offsetWidth > 0 ? scaled.getBoundingClientRect().width / zoom / (scaled as HTMLElement).offsetWidth : 1
      // `normal`: the code's drawn height (already scaled) over its lines.
      let lineHeight = parseFloat(getComputedStyle(lineElement).lineHeight) * scale
      if (!(lineHeight > 0) && code) {
        const block = element.querySelector('code') ?? element
        const lines = block.querySelectorAll('.line').length || paragraphs.length
        lineHeight = block.getBoundingClientRect().height / zoom / Math.max(lines, 1)
      }
      items.push({ kind: 'text', paragraphs, align, ...(fill ? { fill } : {}), ...(Number.isFinite(lineHeight) && lineHeight > 0 ? { lineHeight } : {}), ...boxOf(element) })
      taken.push(element)
      element.setAttribute('data-deck-editable', '')
    }
    for (const image of section.querySelectorAll('img')) {
      if (!visible(image) || image.closest('nav.headline') || !/^data:image\/(png|jpeg|gif);base64,/.test(image.currentSrc)) continue
      items.push({ kind: 'image', src: image.currentSrc, alt: image.getAttribute('alt') ?? '', ...boxOf(image) })
      image.setAttribute('data-deck-editable', '')
    }
    return items
  })
}
