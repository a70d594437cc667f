/**
 * remark plugin: a code fence that is never closed runs to the end of the deck, as CommonMark and
 * pandoc read it. Opened with backticks and "closed" with tildes (or the other way round, or too
 * short a fence), it silently swallows every slide after it: a warning at the opening fence names
 * the headings it swallowed.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from 'unist-util-visit'

const OPENING = /^ {0,3}(`{3,}|~{3,})/

export default function remarkUnclosedFence() {
  return (tree: Root, file: VFile): void => {
    const lines = String(file.value ?? '').split(/\r?\n/)
    visit(tree, 'code', (node) => {
      const start = node.position?.start.line
      const end = node.position?.end.line
      if (!start || !end) return
      const fence = OPENING.exec(lines[start - 1] ?? '')?.[1]
      if (!fence) return // an indented code block
      const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`)
      if (end > start && closing.test(lines[end - 1] ?? '')) return
      const headings = node.value
        .split('\n')
        .map((text, index) => ({ text: text.trim(), line: start + 1 + index }))
        .filter((entry) => /^#{1,6}\s+\S/.test(entry.text))
      if (headings.length === 0) return
      const named = headings.slice(0, 5).map((entry) => `\`${entry.text}\` (line ${entry.line})`)
      const more = headings.length > 5 ? ` and ${headings.length - 5} more` : ''
      file.message(
        `The code fence opened here with ${fence.length} ${fence[0] === '`' ? 'backticks' : 'tildes'} is never closed (a closing fence uses the same character, at least as many): it runs to the end of the deck and swallows ${named.join(', ')}${more}`,
        { place: node.position!.start, ruleId: 'unclosed-fence', source: 'deck' },
      )
    })
  }
}
