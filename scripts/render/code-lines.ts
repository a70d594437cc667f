/**
 * Numbered and highlighted lines in the highlighter's output, as the fence's info string asks for
 * them (scripts/marp/code-display.ts).
 *
 * In the HTML every step after the first is a fragment: an empty marker element that Marp's
 * bespoke template steps through, and a style on the slide highlights the lines of the last
 * marker shown (code-display.ts: highlightStepStyle).
 * In the PDF each step is a page of its own: `show=N` highlights step N's lines, no markers.
 */
import { stepLineClass, stepMarkerClass, type CodeDisplay } from '../marp/code-display.ts'
import { FRAGMENT_ATTRIBUTE } from '../marp/marp-contract.ts'

/** Wraps highlighted lines (HTML, one per line) in numbered, highlightable line elements. */
export function wrapLines(lines: string[], display: CodeDisplay): string {
  if (display.numberFrom === undefined && display.steps.length === 0) return lines.join('\n')
  const html = lines.map((line, index) => {
    const number = index + 1
    const classes = ['line']
    if (display.show !== undefined) {
      if (display.steps[display.show - 1]?.includes(number)) classes.push('hl')
    } else {
      display.steps.forEach((step, s) => step.includes(number) && classes.push(stepLineClass(s + 1)))
    }
    const numberAttribute = display.numberFrom !== undefined ? ` data-n="${display.numberFrom + index}"` : ''
    return `<span class="${classes.join(' ')}"${numberAttribute}>${line}</span>`
  })
  // Steps after the first are fragments of the slide (HTML only): markers before the lines.
  const markers =
    display.show === undefined ? display.steps.slice(1).map((_, s) => `<span class="hl-step ${stepMarkerClass(s + 2)}" ${FRAGMENT_ATTRIBUTE}></span>`).join('') : ''
  return markers + html.join('')
}
