/**
 * Which slides of a new build differ from the page that open pages show, when nothing else does:
 * then a page swaps those slides in place (no reload: no flash, no fonts decoded again). Any
 * other change (the theme and styles, the number of slides, notes, the run-on-stage blocks, a
 * slide with steps, whose steps Marp's script has already collected) needs a reload.
 */
import type { StageBlock } from './page.ts'
import { FRAGMENT_ATTRIBUTE, SLIDE_START } from '../marp/marp-contract.ts'

interface Parts {
  /** Everything outside the slides' `<section>` elements, with a placeholder for each. */
  frame: string
  sections: string[]
}

function split(html: string): Parts {
  const [head = '', ...slides] = html.split(SLIDE_START)
  const sections: string[] = []
  const frame = [head]
  for (const slide of slides) {
    const start = slide.indexOf('<section')
    const end = slide.lastIndexOf('</section>')
    if (start < 0 || end < start) {
      frame.push(slide)
      continue
    }
    sections.push(slide.slice(start, end + '</section>'.length))
    frame.push(`${slide.slice(0, start)}\0${slide.slice(end + '</section>'.length)}`)
  }
  return { frame: frame.join(SLIDE_START), sections }
}

/** The `<section>` markup of each slide, in order. */
export function slideSections(html: string): string[] {
  return split(html).sections
}

/** The 0-based indexes of the slides to swap, or undefined when the page must reload. */
export function changedSlides(before: { html: string; blocks: StageBlock[] }, after: { html: string; blocks: StageBlock[] }): number[] | undefined {
  // Where the run-on-stage blocks are (their stored outputs may change: those slides swap).
  const places = (blocks: StageBlock[]) => JSON.stringify(blocks.map(({ id, slide }) => [id, slide]))
  if (places(before.blocks) !== places(after.blocks)) return undefined
  const old = split(before.html)
  const fresh = split(after.html)
  if (old.frame !== fresh.frame || old.sections.length !== fresh.sections.length) return undefined
  const changed = fresh.sections.flatMap((section, index) => (section === old.sections[index] ? [] : [index]))
  const steps = (section: string | undefined) => section?.includes(FRAGMENT_ATTRIBUTE) ?? true
  if (changed.some((index) => steps(old.sections[index]) || steps(fresh.sections[index]))) return undefined
  return changed
}
