/**
 * Line numbers and highlighted lines of a code block, as pandoc's attributes ask for them:
 * `.numberLines` with `startFrom=N`, and `highlight="2-3|5"` (lines to highlight, one group per
 * step, `|` between steps). The Marp Markdown carries them on the fence's info string (after the
 * language), where Marp's highlighter hook receives them; the hook then wraps each line.
 *
 * In the HTML every step after the first is a fragment: an empty marker element that Marp's
 * bespoke template steps through, and the theme highlights the lines of the last marker shown.
 * In the PDF each step is a page of its own: `show=N` highlights step N's lines, no markers.
 */
import type { Attributes } from '../markdown/attributes.ts'

export interface CodeDisplay {
  /** The first line's number when lines are numbered. */
  numberFrom?: number
  /** Per step, the (1-based) lines it highlights. */
  steps: number[][]
  /** PDF: the one step shown; undefined in the HTML (all steps, as fragments). */
  show?: number
}

/** Reads the display options from a code block's pandoc attributes; throws on a bad `highlight`. */
export function codeDisplay(attributes: Pick<Attributes, 'classes' | 'values'> | undefined): CodeDisplay {
  const display: CodeDisplay = { steps: [] }
  if (!attributes) return display
  const { classes, values } = attributes
  const start = values.startFrom ?? values['start-from']
  if (classes.includes('numberLines') || classes.includes('number-lines') || start !== undefined) {
    display.numberFrom = start !== undefined && /^-?\d+$/.test(start) ? Number(start) : 1
  }
  if (values.highlight !== undefined) display.steps = parseSteps(values.highlight)
  return display
}

/** `2-3,5|7` -> [[2, 3, 5], [7]] */
export function parseSteps(value: string): number[][] {
  return value.split('|').map((step) =>
    step
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .flatMap((part) => {
        const range = /^(\d+)(?:-(\d+))?$/.exec(part)
        if (!range) throw new Error(`Cannot read the line range \`${part}\` in highlight="${value}" (expected e.g. "2-3,5|7")`)
        const from = Number(range[1])
        const to = range[2] ? Number(range[2]) : from
        return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
      }),
  )
}

/** The fence info after the language (empty when there is nothing to show). */
export function formatCodeInfo(display: CodeDisplay): string {
  const parts: string[] = []
  if (display.numberFrom !== undefined) parts.push(`number-from=${display.numberFrom}`)
  if (display.steps.length > 0) parts.push(`steps=${display.steps.map((lines) => lines.join(',')).join('|')}`)
  if (display.show !== undefined) parts.push(`show=${display.show}`)
  return parts.join(' ')
}

export function parseCodeInfo(info: string | undefined): CodeDisplay {
  const display: CodeDisplay = { steps: [] }
  for (const [, key, value] of (info ?? '').matchAll(/([\w-]+)=(\S*)/g)) {
    if (key === 'number-from') display.numberFrom = Number(value)
    else if (key === 'steps') display.steps = (value ?? '').split('|').map((lines) => lines.split(',').filter(Boolean).map(Number))
    else if (key === 'show') display.show = Number(value)
  }
  return display
}

/** Wraps highlighted lines (HTML, one per line) in numbered, highlightable line elements. */
export function wrapLines(lines: string[], display: CodeDisplay): string {
  if (display.numberFrom === undefined && display.steps.length === 0) return lines.join('\n')
  const html = lines.map((line, index) => {
    const number = index + 1
    const classes = ['line']
    if (display.show !== undefined) {
      if (display.steps[display.show - 1]?.includes(number)) classes.push('hl')
    } else {
      display.steps.forEach((step, s) => step.includes(number) && classes.push(`hl-${s + 1}`))
    }
    const numberAttribute = display.numberFrom !== undefined ? ` data-n="${display.numberFrom + index}"` : ''
    return `<span class="${classes.join(' ')}"${numberAttribute}>${line}</span>`
  })
  // Steps after the first are fragments of the slide (HTML only): markers before the lines.
  const markers =
    display.show === undefined ? display.steps.slice(1).map((_, s) => `<span class="hl-step hl-m${s + 2}" data-marpit-fragment></span>`).join('') : ''
  return markers + html.join('')
}
