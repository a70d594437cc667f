/**
 * The markup of Marp's output that the toolchain reads, in one place: marpit's slide svg (a
 * documented contract), marp-cli's bespoke template (notes, fragments: not documented) and
 * marp-core's auto-scaling custom element (its shadow DOM: not documented). An upgrade that
 * changes any of them breaks the fit check, the PDF's notes or the dev server's slide swap
 * quietly; test/marp-contract.test.ts renders one deck and checks every entry, naming the one
 * that no longer holds. Code that runs in the page gets these as data (page.evaluate arguments,
 * the dev client's options), never as literals of its own.
 */

/** marp-cli bespoke: a step shown (alone, so the page's evolve runtime bundles only it). */
export const ACTIVE_FRAGMENT = "[data-bespoke-marp-fragment='active']"

/** CSS selectors, in the page Marp renders (passed into page functions as data). */
export const MARP_SELECTORS = {
  /** marpit: one svg per slide (documented: inline SVG mode). */
  slide: 'svg[data-marpit-svg]',
  /** marpit: the slide's section inside the svg. */
  section: 'svg[data-marpit-svg] > foreignObject > section',
  /** marpit: the section, from its slide's svg. */
  slideSection: ':scope > foreignObject > section',
  /** marpit: an element shown one step at a time (`*` lists, our pauses). */
  fragment: '[data-marpit-fragment]',
  /** marp-cli bespoke: a step's state once the presenting script runs (`active` or `inactive`). */
  fragmentState: '[data-bespoke-marp-fragment]',
  activeFragment: ACTIVE_FRAGMENT,
  /** marp-cli bespoke: the slide being shown. */
  activeSlide: '.bespoke-marp-active',
  /** marp-cli bespoke: a slide kept from assistive technology while another is shown. */
  hiddenSlide: 'svg[data-marpit-svg][aria-hidden]',
  /** marp-cli bespoke: the element that marks a page as Marp's deck (any view). */
  deckRoot: '.bespoke-marp-parent, body[data-bespoke-view]',
  /** marp-cli bespoke: its on-screen controller (page number, arrows, full screen), shown on load and when the pointer moves. */
  controller: '.bespoke-marp-osc',
  /** marp-cli bespoke: a speaker note, by slide index. */
  note: '.bespoke-marp-note[data-index]',
  /** marp-cli bespoke presenter view (`?view=presenter`): its body, notes and their box, timer. */
  presenterView: 'body[data-bespoke-view=presenter]',
  presenterNotes: '.bespoke-marp-presenter-note-container',
  presenterNoteWrapper: '.bespoke-marp-presenter-note-wrapper',
  presenterTimer: '.bespoke-marp-presenter-info-timer',
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

/**
 * marpit: how each slide's svg begins in the HTML as written (dev/patch.ts splits the page there,
 * and browser/deck-page.ts too). marp-core writes its own script (custom elements, auto-scaling)
 * inside the last slide's svg and in no other: a part document of other slides keeps the last.
 */
export const SLIDE_START = '<svg data-marpit-svg=""'

/** marpit: the attribute that makes an element a step, in the HTML as written. */
export const FRAGMENT_ATTRIBUTE = 'data-marpit-fragment'

/**
 * marp-cli bespoke: its presenting script in the HTML as written (keys, steps, presenter view),
 * which the fit check's copy of the page goes without (browser/deck-page.ts).
 */
export const PRESENTING_SCRIPT = /<script>\/\*!! License: https:\/\/unpkg\.com\/@marp-team\/marp-cli@[^/]*\/lib\/bespoke\.js\.LICENSE\.txt \*\/[\s\S]*?<\/script>/

/** marp-cli bespoke: a note element in the HTML as written (render/notes.ts replaces its content). */
export const NOTE_ELEMENT = /(<div class="bespoke-marp-note" data-index="(\d+)"[^>]*>)([\s\S]*?)(<\/div>)/g
