/**
 * remark plugin: raw LaTeX and raw HTML that pandoc's beamer writer would pass to LaTeX.
 * - ```` ```{=latex} ```` blocks and `` `x`{=tex} `` spans: dropped with a warning (kept for `=html`);
 * - TeX commands in text: mapped (`\LaTeX`, `\newline`, `\bigskip`, ...) or dropped with a warning;
 * - `. . .` and a paragraph of `\pause`: pause markers (steps in the HTML; the PDF shows the final
 *   state); a `\pause` inside text is dropped with a note;
 * - HTML comments: dropped (Marp would turn them into speaker notes).
 */
import type { Html, Root, RootContent, Text } from 'mdast'
import type { VFile } from 'vfile'
import type { Point } from 'unist'
import { SKIP, visit } from 'unist-util-visit'
import { toString } from 'mdast-util-to-string'
import { h } from 'hastscript'
import { replaceTexCommands } from './tex-commands.ts'
import { htmlNode } from '../core/hast-html.ts'
import type { FencedDiv } from '../reader/mdast/fenced-divs.ts'
import type { PandocSpan } from '../reader/remark-pandoc-spans.ts'

const SKIP_ONLY = /^\s*(\\(bigskip|medskip|smallskip|vfill|vspace\*?\{[^}]*\})\s*)+$/
const PAUSE = /^\s*(\.\s\.\s\.|\\pause)\s*$/

/** Left in the tree where a pause was; the Marp Markdown makes what follows a step. */
export interface Pause {
  type: 'pause'
  position?: import('unist').Position
}

declare module 'mdast' {
  interface RootContentMap {
    pause: Pause
  }
  interface BlockContentMap {
    pause: Pause
  }
}

// Raw HTML that runs script when the HTML is opened: a script element, an event handler attribute
// (`onerror=`), a `javascript:` URL, or an element that loads another document.
const ACTIVE_HTML: Array<[RegExp, (match: RegExpExecArray) => string]> = [
  [/<script\b/i, () => '`<script>`'],
  [/<[a-z][^>]*?[\s/"'](on[a-z]+)\s*=/i, (match) => `\`${match[1]!.toLowerCase()}=\``],
  [/<[a-z][^>]*?=\s*["']?\s*(?:javascript|vbscript):/i, () => 'a `javascript:` URL'],
  [/<(iframe|object|embed)\b/i, (match) => `\`<${match[1]!.toLowerCase()}>\``],
]

/**
 * Raw HTML is kept, as pandoc's HTML writers keep it; what of it runs script in the built HTML
 * is a warning at its line, so that a deck from elsewhere cannot run script unannounced.
 */
function warnActiveHtml(html: string, start: Point | undefined, file: VFile): void {
  for (const [pattern, name] of ACTIVE_HTML) {
    const match = pattern.exec(html)
    if (!match) continue
    const before = html.slice(0, match.index).split('\n')
    const place = start ? { line: start.line + before.length - 1, column: before.length > 1 ? before.at(-1)!.length + 1 : start.column + match.index } : undefined
    file.message(`Raw HTML with ${name(match)}: it runs when the HTML is opened (kept, as pandoc keeps raw HTML; remove it unless you wrote it)`, {
      ...(place ? { place } : {}),
      ruleId: 'raw-html-script',
      source: 'deck',
    })
    return
  }
}

export default function remarkRawTex() {
  return (tree: Root, file: VFile): void => {
    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined) return
      const remove = (): [typeof SKIP, number] => {
        parent.children.splice(index, 1)
        return [SKIP, index]
      }

      if (node.type === 'code' && node.data?.attributes?.rawFormat) {
        const format = node.data.attributes.rawFormat
        if (format === 'html') {
          warnActiveHtml(node.value, node.position?.start, file)
          parent.children[index] = { type: 'html', value: node.value } as Html
          return
        }
        file.message(`Dropped a raw \`${format}\` block: it has no meaning in HTML`, { place: node.position, ruleId: 'raw-tex', source: 'deck' })
        return remove()
      }

      if (node.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(node.value)) return remove()
      if (node.type === 'html') warnActiveHtml(node.value, node.position?.start, file)

      if (node.type === 'paragraph') {
        const note = takeNote(parent.children as RootContent[], index)
        if (note) return [SKIP, index]
        const only = node.children.length === 1 && node.children[0]?.type === 'text' ? node.children[0].value : undefined
        if (only !== undefined && PAUSE.test(only)) {
          parent.children[index] = { type: 'pause', ...(node.position ? { position: node.position } : {}) }
          return SKIP
        }
        if (only !== undefined && SKIP_ONLY.test(only)) {
          parent.children[index] = htmlNode(h('div.vspace'))
          return SKIP
        }
      }

      if (node.type === 'inlineCode' && node.data?.attributes?.rawFormat) {
        const format = node.data.attributes.rawFormat
        if (format === 'html') {
          warnActiveHtml(node.value, node.position?.start, file)
          parent.children[index] = { type: 'html', value: node.value } as Html
          return
        }
        const mapped = replaceTexCommands(node.value)
        if (mapped.dropped.length === 0) {
          parent.children[index] = mapped.text === '\n' ? htmlNode(h('br')) : { type: 'text', value: mapped.text }
          return
        }
        file.message(`Dropped raw \`${format}\` \`${node.value}\`: it has no meaning in HTML`, {
          place: node.position,
          ruleId: 'raw-tex',
          source: 'deck',
        })
        return remove()
      }

      if (node.type === 'text') {
        // beamer's \alert{...}: alerted text, in the colour theme's alerted colour.
        const parts = splitAlerts(node)
        if (parts) {
          parent.children.splice(index, 1, ...(parts as typeof parent.children))
          return index
        }
        return replaceInText(node, file)
      }
      return undefined
    })
  }
}

/**
 * beamer's `\note{...}` as speaker notes: one paragraph, or `\note{` ... `}` around blocks.
 * Replaces the nodes with a `notes` div and returns true.
 */
function takeNote(siblings: RootContent[], index: number): boolean {
  const first = siblings[index]
  if (first?.type !== 'paragraph') return false
  const head = first.children[0]
  if (head?.type !== 'text' || !head.value.startsWith('\\note{')) return false
  const text = toString(first)
  let children: RootContent[]
  let count: number
  if (text.trimEnd().endsWith('}')) {
    const inner = text.trim().slice('\\note{'.length, -1).trim()
    children = [{ type: 'paragraph', children: [{ type: 'text', value: inner }] }]
    count = 1
  } else {
    const end = siblings.findIndex((node, at) => at > index && node.type === 'paragraph' && toString(node).trim().endsWith('}'))
    if (end < 0) return false
    const opening = text.trim().slice('\\note{'.length).trim()
    const closing = toString(siblings[end] as RootContent).trim().slice(0, -1).trim()
    children = [
      ...(opening ? [{ type: 'paragraph', children: [{ type: 'text', value: opening }] } as RootContent] : []),
      ...siblings.slice(index + 1, end),
      ...(closing ? [{ type: 'paragraph', children: [{ type: 'text', value: closing }] } as RootContent] : []),
    ]
    count = end - index + 1
  }
  const div: FencedDiv = { type: 'fencedDiv', attributes: { classes: ['notes'], values: {} }, closed: true, children: children as FencedDiv['children'] }
  if (first.position) div.position = first.position
  siblings.splice(index, count, div)
  return true
}

const ALERT = /\\alert(?:<[^>]*>)?\{([^{}]*)\}/

/** `a \alert{b} c` -> text, a span `[b]{.alert}`, text; undefined without one. */
function splitAlerts(node: Text): Array<Text | PandocSpan> | undefined {
  const match = ALERT.exec(node.value)
  if (!match) return undefined
  const before = node.value.slice(0, match.index)
  const after = node.value.slice(match.index + match[0].length)
  return [
    ...(before ? [{ type: 'text', value: before } as Text] : []),
    { type: 'pandocSpan', attributes: { classes: ['alert'], values: {} }, children: [{ type: 'text', value: match[1] ?? '' }] },
    ...(after ? [{ type: 'text', value: after } as Text] : []),
  ]
}

function replaceInText(node: Text, file: VFile): void {
  if (!node.value.includes('\\')) return
  const result = replaceTexCommands(node.value)
  for (const { command, offset } of result.dropped) {
    file.message(`Dropped raw LaTeX \`${command}\`: it has no meaning in HTML`, {
      place: pointAt(node, offset),
      ruleId: 'raw-tex',
      source: 'deck',
    })
  }
  if (result.pauses > 0) noteSlidePause(file, node.position?.start)
  node.value = result.text
}

function noteSlidePause(file: VFile, place: Point | undefined): void {
  file.info('A `\\pause` inside a paragraph is not supported: the paragraph shows at once', {
    ruleId: 'pause',
    source: 'deck',
    ...(place ? { place } : {}),
  })
}

/** The position of `offset` inside a text node (exact unless the text held escapes). */
function pointAt(node: Text, offset: number): Point | undefined {
  const start = node.position?.start
  if (!start) return undefined
  const before = node.value.slice(0, offset).split('\n')
  const line = start.line + before.length - 1
  const column = before.length === 1 ? start.column + offset : (before[before.length - 1]?.length ?? 0) + 1
  return { line, column }
}
