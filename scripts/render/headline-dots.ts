/**
 * The headline's dots as images. A slide carries every section's dots; drawn as vector circles
 * they cost their path on every page (a 300-slide PDF grew to 20 MB). Instead each section's row
 * of rings is one PNG, the same on every slide (one in the dim colour, one in the current
 * section's), and the current slide's disc another: Chromium's PDF keeps one copy of an image
 * however often it is drawn. The images are sized to the theme's `--dot-size` and `--dot-gap`
 * (in mm) and drawn at 50 px per mm, so that they stay sharp when the PDF is zoomed.
 */
import { PNG } from 'pngjs'

const PX_PER_MM = 50
/** beamer's ring: a 0.4 pt line. */
const RING_MM = (0.4 * 25.4) / 72

interface Geometry {
  size: number
  gap: number
}

/** `--dot-size: calc(1.2 * var(--mm))` and `--dot-gap` from the theme, in px of the images. */
function geometry(css: string): Geometry {
  const mm = (name: string, fallback: number) => Number(new RegExp(`${name}:\\s*calc\\(([\\d.]+) \\* var\\(--mm\\)\\)`).exec(css)?.[1] ?? fallback)
  return { size: Math.round(mm('--dot-size', 1.2) * PX_PER_MM), gap: Math.round(mm('--dot-gap', 0.2) * PX_PER_MM) }
}

/** The alpha of one dot (ring or disc), anti-aliased by 4 x 4 supersampling. */
function dotAlpha(size: number, filled: boolean): Uint8Array {
  const alpha = new Uint8Array(size * size)
  const outer = size / 2
  const inner = filled ? -1 : outer - RING_MM * PX_PER_MM
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inside = 0
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const d = Math.hypot(x + (sx + 0.5) / 4 - outer, y + (sy + 0.5) / 4 - outer)
          if (d <= outer && d >= inner) inside++
        }
      }
      alpha[y * size + x] = Math.round((255 * inside) / 16)
    }
  }
  return alpha
}

function rowPng(count: number, color: string, dot: Uint8Array, { size, gap }: Geometry): string {
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(color.slice(at, at + 2), 16)) as [number, number, number]
  const png = new PNG({ width: count * (size + gap) - gap, height: size })
  for (let i = 0; i < count; i++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const offset = (y * png.width + i * (size + gap) + x) * 4
        png.data[offset] = r
        png.data[offset + 1] = g
        png.data[offset + 2] = b
        png.data[offset + 3] = dot[y * size + x]!
      }
    }
  }
  // The "up" filter (each row against the one above) alone: a 1000-slide deck's rows encode in a
  // quarter of the time of pngjs's default (all five filters tried on every row), and smaller.
  return `url("data:image/png;base64,${PNG.sync.write(png, { filterType: 2 }).toString('base64')}")`
}

/** The colour `--name` has in the theme's rule for `selector` (e.g. `section.crane`), else in `section`. */
function themeColor(css: string, selector: string, name: string): string | undefined {
  for (const candidate of [selector, 'section']) {
    for (const [, , found, body = ''] of css.matchAll(/(^|\n)\s*([^{}\n]+?)\s*\{([^{}]*)\}/g)) {
      if (found !== candidate) continue
      const color = new RegExp(`${name}:\\s*(#[0-9a-fA-F]{6})\\b`).exec(body)?.[1]
      if (color) return color
    }
  }
  return undefined
}

/**
 * The CSS of a deck's headline images: for each section (by its number), `--row-dim` and
 * `--row-current`, and the disc of the current slide, in the deck's colour theme.
 */
export function headlineStyle(css: string, colortheme: string, sectionSizes: number[]): string {
  const dim = themeColor(css, `section.${colortheme}`, '--head-fg-dim')
  const current = themeColor(css, `section.${colortheme}`, '--dot')
  if (!dim || !current) return ''
  const shape = geometry(css)
  const ring = dotAlpha(shape.size, false)
  const rules = [`nav.headline { --disc-current: ${rowPng(1, current, dotAlpha(shape.size, true), shape)}; }`]
  sectionSizes.forEach((count, index) => {
    if (count > 0) rules.push(`nav.headline li[data-section="${index}"] { --row-dim: ${rowPng(count, dim, ring, shape)}; --row-current: ${rowPng(count, current, ring, shape)}; }`)
  })
  return rules.join('\n')
}
