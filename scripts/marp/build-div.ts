/**
 * pandoc's divs and spans as HTML wrappers: their id, classes and `style` (as pandoc's HTML keeps
 * them), a column's `width` as a fraction of the text width (as in beamer).
 */
import type { Element, Properties } from 'hast'
import { h } from 'hastscript'
import type { Attributes } from '../reader/attributes.ts'
import { lineProperties } from '../core/hast-html.ts'
import type { FencedDiv } from '../reader/mdast/fenced-divs.ts'

export function attributeProperties({ classes, values, id }: Attributes): Properties {
  const styles: string[] = []
  if (classes.includes('column') && values.width) styles.push(columnWidth(values.width))
  if (values.style) styles.push(values.style)
  return {
    ...(id ? { id } : {}),
    ...(classes.length > 0 ? { className: classes } : {}),
    ...(styles.length > 0 ? { style: styles.join('; ') } : {}),
  }
}

/** The div's wrapper (without its content). */
export function divElement(node: FencedDiv): Element {
  return h('div', { ...lineProperties(node), ...attributeProperties(node.attributes) })
}

/** `40%` and `0.4` are fractions of the text width (as in beamer); other lengths are used as they are. */
function columnWidth(value: string): string {
  const percent = /^(\d*\.?\d+)%$/.exec(value)
  if (percent) return `--column-fraction: ${Number(percent[1]) / 100}`
  if (/^\d*\.?\d+$/.test(value)) return `--column-fraction: ${Number(value)}`
  return `flex-basis: ${value}`
}
