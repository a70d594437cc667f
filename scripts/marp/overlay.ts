/**
 * beamer's overlay counting, for the steps of a slide: pauses, incremental lists and highlighted
 * code lines. In the HTML steps are fragments that Marp steps through; in the PDF each step is a
 * page, and a page shows what has appeared up to its step.
 */
export interface Overlay {
  pdf: boolean
  /** The step a PDF page shows (Infinity: the final state). */
  step: number
  /** The step new content appears on (beamer's pauses counter). */
  counter: number
  /** The slide's last step. */
  last: number
  /** HTML: the most highlight steps of a code block on the slide (its style covers as many). */
  highlightSteps: number
  /** The slide's versioned blocks (build-evolve.ts): the step their first version shows on, how many they have. */
  versions?: { first: number; count: number; line?: number }
}

export function newOverlay(pdf: boolean, step: number): Overlay {
  return { pdf, step, counter: 1, last: 1, highlightSteps: 0 }
}

/** Content that takes `count` steps from the current one: returns how many show on this page. */
export function takeSteps(overlay: Overlay, count: number): number {
  const first = overlay.counter
  overlay.counter += Math.max(0, count - 1)
  overlay.last = Math.max(overlay.last, overlay.counter)
  return Math.min(count, Math.max(0, overlay.step - first + 1))
}

/** A pause: what follows appears one step later. Returns whether it shows on this page. */
export function pause(overlay: Overlay): boolean {
  overlay.counter++
  overlay.last = Math.max(overlay.last, overlay.counter)
  return overlay.counter <= overlay.step
}
