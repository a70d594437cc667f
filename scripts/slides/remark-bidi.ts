/**
 * remark plugin: bidirectional control characters in code ("Trojan Source", CVE-2021-42574). They
 * reorder what a line shows without changing what runs, so the slide could show code that reads
 * otherwise than the file. Each is a warning at its line and is shown on the slide as its code
 * point (`<U+202E>`), so what the slide shows is what the file holds.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from 'unist-util-visit'

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** `<U+202E>` for each bidi control in `text`. */
export function showBidi(text: string): string {
  return text.replace(BIDI, (character) => `<U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`)
}

export default function remarkBidi() {
  return (tree: Root, file: VFile): void => {
    visit(tree, (node) => {
      if (node.type !== 'code' && node.type !== 'inlineCode') return
      if (!/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(node.value)) return
      const lines = node.value.split('\n')
      const found = lines.flatMap((line, index) => (line.match(BIDI) ? [{ index, names: [...new Set(line.match(BIDI)!.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))] }] : []))
      const first = found[0]!
      const start = node.position?.start
      // In a fenced block the code starts on the line after the fence (code from a file: the block's line).
      const values = node.type === 'code' ? node.data?.attributes?.values : undefined
      const fromFile = values?.file !== undefined || values?.run !== undefined
      const line = start ? (node.type === 'code' && !fromFile ? start.line + 1 + first.index : start.line) : undefined
      const where = fromFile ? ` (line ${first.index + 1} of ${values?.file !== undefined ? 'the code' : 'the output'})` : ''
      file.message(
        `Code holds bidirectional control characters (${first.names.join(', ')})${where}${found.length > 1 ? ` and on ${found.length - 1} more line${found.length === 2 ? '' : 's'}` : ''}: they make a line read otherwise than it runs (CVE-2021-42574); shown on the slide as \`<U+…>\``,
        { ...(line ? { place: { line, column: node.type === 'inlineCode' ? start!.column : 1 } } : {}), ruleId: 'bidi-control', source: 'deck' },
      )
      node.value = showBidi(node.value)
    })
  }
}
