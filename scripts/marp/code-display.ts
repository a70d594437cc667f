/**
 * Line numbers and highlighted lines of a code block, as pandoc's attributes ask for them:
 * `.numberLines` with `startFrom=N`, and `highlight="2-3|5"` (lines to highlight, one group per
 * step, `|` between steps). The Marp Markdown carries them on the fence's info string (after the
 * language), where Marp's highlighter hook receives them (scripts/render/code-lines.ts wraps the
 * lines): this module writes that info string and reads it back, and names the classes of the
 * steps' lines and markers, which the HTML's step style (below) selects.
 */
import type { Attributes } from '../reader/attributes.ts'
import { MARP_SELECTORS } from './marp-contract.ts'

export interface CodeDisplay {
  /** The first line's number when lines are numbered. */
  numberFrom?: number
  /** Per step, the (1-based) lines it highlights. */
  steps: number[][]
  /** PDF: the one step shown; undefined in the HTML (all steps, as fragments). */
  show?: number
}

/**
 * Reads the display options from a code block's pandoc attributes, checked against the block's
 * `lineCount` before anything is expanded; throws on a bad `highlight` or `startFrom`.
 */
export function codeDisplay(attributes: Pick<Attributes, 'classes' | 'values'> | undefined, lineCount = Number.POSITIVE_INFINITY): CodeDisplay {
  const display: CodeDisplay = { steps: [] }
  if (!attributes) return display
  const { classes, values } = attributes
  const startName = values.startFrom !== undefined ? 'startFrom' : 'start-from'
  const start = values.startFrom ?? values['start-from']
  if (classes.includes('numberLines') || classes.includes('number-lines') || start !== undefined) {
    if (start !== undefined && !(/^-?\d{1,9}$/.test(start.trim()))) {
      throw new Error(`Expected \`${startName}\` to be a whole number of at most 9 digits, not \`${start.length > 40 ? `${start.slice(0, 40)}...` : start}\``)
    }
    display.numberFrom = start !== undefined ? Number(start) : 1
  }
  if (values.highlight !== undefined) display.steps = parseSteps(values.highlight, lineCount)
  return display
}

/** `2-3,5|7` -> [[2, 3, 5], [7]]; every line within 1..`lineCount`, checked before a range is expanded. */
export function parseSteps(value: string, lineCount = Number.POSITIVE_INFINITY): number[][] {
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value
  return value.split('|').map((step) =>
    step
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .flatMap((part) => {
        const range = /^(\d+)(?:-(\d+))?$/.exec(part)
        if (!range) throw new Error(`Cannot read the line range \`${part}\` in highlight="${shown}" (expected e.g. "2-3,5|7")`)
        const from = Number(range[1])
        const to = range[2] ? Number(range[2]) : from
        if (from < 1 || to < from || to > lineCount) {
          const size = Number.isFinite(lineCount) ? `, which has ${lineCount} line${lineCount === 1 ? '' : 's'}` : ''
          throw new Error(`The line range \`${part.length > 40 ? `${part.slice(0, 40)}...` : part}\` in highlight="${shown}" is ${to < from ? 'backwards' : `outside the block${size}`}`)
        }
        return Array.from({ length: to - from + 1 }, (_, i) => from + i)
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

/** The class of the lines step N highlights (HTML). */
export const stepLineClass = (step: number): string => `hl-${step}`
/** The class of the empty fragment that starts step N, for N >= 2 (HTML). */
export const stepMarkerClass = (step: number): string => `hl-m${step}`

/**
 * HTML: step N's lines are highlighted once the Nth marker is shown and until the next one is
 * (step 1 before any): one rule per step, for code with up to `count` steps. The look is the
 * theme's highlighted line (`pre .line.hl`): its colour and a millimetre beyond each side.
 */
export function highlightStepStyle(count: number): string {
  const active = (step: number) => `.${stepMarkerClass(step)}${MARP_SELECTORS.activeFragment}`
  const selectors = Array.from({ length: count }, (_, index) => {
    const step = index + 1
    const shown = step === 1 ? '' : `:has(${active(step)})`
    return `pre code${shown}:not(:has(${active(step + 1)})) .${stepLineClass(step)}`
  })
  return `${selectors.join(',\n')} {\n  background: var(--code-highlight);\n  box-shadow: calc(-1 * var(--mm)) 0 0 var(--code-highlight), var(--mm) 0 0 var(--code-highlight);\n}`
}
