/**
 * The markup of Marp's output that the toolchain reads, in one place: marpit's slide svg (a
 * documented contract), marp-cli's bespoke template (notes, fragments: not documented) and
 * marp-core's auto-scaling custom element (its shadow DOM: not documented). An upgrade that
 * changes any of them breaks the fit check, the PDF's notes or the dev server's slide swap
 * quietly; test/marp-contract.test.ts renders one deck and checks every entry, naming the one
 * that no longer holds.
 *
 * Readers not yet moved here (owned by other work): browser/pdf.ts (fragments, notes),
 * dev/patch.ts (the slide svg as a string), dev/client.ts (sections).
 */

/** CSS selectors, in the page Marp renders (passed into page functions as data). */
export const MARP_SELECTORS = {
  /** marpit: one svg per slide (documented: inline SVG mode). */
  slide: 'svg[data-marpit-svg]',
  /** marpit: the slide's section inside the svg. */
  section: 'svg[data-marpit-svg] > foreignObject > section',
  /** marpit: an element shown one step at a time (`*` lists, our pauses). */
  fragment: '[data-marpit-fragment]',
  /** marp-cli bespoke: a speaker note, by slide index. */
  note: '.bespoke-marp-note[data-index]',
  /** marp-core: an element that auto-scales (code blocks, fitting headers). */
  autoScalingHost: '[data-auto-scaling]',
  /** marp-core: inside the host's shadow root, the custom element. */
  autoScaling: 'marp-auto-scaling',
  /** marp-core: inside that element's shadow root, the svg whose viewBox scales the content. */
  autoScalingSvg: 'svg[data-marp-auto-scaling-svg]',
  autoScalingWrapper: 'div[data-marp-auto-scaling-wrapper]',
  autoScalingContainer: 'span[data-marp-auto-scaling-container]',
} as const

export type MarpSelectors = typeof MARP_SELECTORS

/** marp-cli bespoke: a note element in the HTML as written (render/notes.ts replaces its content). */
export const NOTE_ELEMENT = /(<div class="bespoke-marp-note" data-index="(\d+)"[^>]*>)([\s\S]*?)(<\/div>)/g
