/**
 * remark plugin: raw LaTeX and raw HTML that pandoc's beamer writer would pass to LaTeX.
 * - ```` ```{=latex} ```` blocks and `` `x`{=tex} `` spans: dropped with a warning (kept for `=html`);
 * - TeX commands in text: mapped (`\LaTeX`, `\newline`, `\bigskip`, ...) or dropped with a warning;
 * - `\pause` and `. . .`: recorded as pauses (the slide shows its final state) with a note;
 * - HTML comments: dropped (Marp would turn them into speaker notes).
 */
import type { Html, Root, RootContent, Text } from 'mdast'
import type { VFile } from 'vfile'
import type { Point } from 'unist'
import { SKIP, visit } from 'unist-util-visit'
import { replaceTexCommands } from './tex-commands.ts'

const SKIP_ONLY = /^\s*(\\(bigskip|medskip|smallskip|vfill|vspace\*?\{[^}]*\})\s*)+$/
const PAUSE = /^\s*\.\s\.\s\.\s*$/

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
          parent.children[index] = { type: 'html', value: node.value } as Html
          return
        }
        file.message(`Dropped a raw \`${format}\` block: it has no meaning in HTML`, { place: node.position, ruleId: 'raw-tex', source: 'deck' })
        return remove()
      }

      if (node.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(node.value)) return remove()

      if (node.type === 'paragraph') {
        const only = node.children.length === 1 && node.children[0]?.type === 'text' ? node.children[0].value : undefined
        if (only !== undefined && PAUSE.test(only)) {
          parent.children[index] = { type: 'html', value: '<div class="pause"></div>' } as Html
          noteSlidePause(file, node.position?.start)
          return
        }
        if (only !== undefined && SKIP_ONLY.test(only)) {
          parent.children[index] = { type: 'html', value: '<div class="vspace"></div>' } as Html
          return
        }
      }

      if (node.type === 'inlineCode') {
        const next = parent.children[index + 1] as RootContent | undefined
        const match = next?.type === 'text' ? /^\{=([a-zA-Z]+)\}/.exec(next.value) : null
        if (next?.type === 'text' && match) {
          next.value = next.value.slice(match[0].length)
          if (match[1] === 'html') {
            parent.children[index] = { type: 'html', value: node.value } as Html
            return
          }
          file.message(`Dropped raw \`${match[1]}\` \`${node.value}\`: it has no meaning in HTML`, {
            place: node.position,
            ruleId: 'raw-tex',
            source: 'deck',
          })
          return remove()
        }
      }

      if (node.type === 'text') return replaceInText(node, file)
      return undefined
    })
  }
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
  file.info('Pauses are not supported yet: the slide shows its final state', {
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
