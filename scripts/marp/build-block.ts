/**
 * beamer's blocks: a heading below the slide level opens a block (`### Title {.alert}` and
 * `{.example}`: alertblock and exampleblock) that lasts to the next such heading or the end of
 * its container; an empty heading gives an untitled block.
 */
import type { Element } from 'hast'
import type { Heading } from 'mdast'
import { h } from 'hastscript'
import { lineProperties } from '../core/hast-html.ts'

export function blockElement(heading: Heading): Element {
  const kind = (heading.data?.attributes?.classes ?? []).find((name) => name === 'alert' || name === 'example')
  return h('div', { className: ['block', ...(kind ? [kind] : []), ...(heading.children.length === 0 ? ['untitled'] : [])], ...lineProperties(heading) })
}

/** The block's title: a heading of its own level (the theme styles the block's title as h3). */
export function blockTitle(heading: Heading): Heading | undefined {
  return heading.children.length === 0 ? undefined : { ...heading, depth: 3 }
}
