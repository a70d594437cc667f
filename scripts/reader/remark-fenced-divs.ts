/** remark plugin: pandoc fenced divs (`::: columns`, `:::: {.column width=40%}`, `::: notes`). */
import type { Processor } from 'unified'
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { visit } from 'unist-util-visit'
import { fencedDivs } from './syntax/fenced-divs.ts'
import { fencedDivsFromMarkdown } from './mdast/fenced-divs.ts'

export default function remarkFencedDivs(this: Processor) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(fencedDivs())
  ;(data.fromMarkdownExtensions ??= []).push(fencedDivsFromMarkdown())
  return (tree: Root, file: VFile) => {
    visit(tree, 'fencedDiv', (div) => {
      if (div.closed) return
      const name = div.attributes.classes[0] ?? div.attributes.id ?? ''
      file.fail(`Unclosed div \`${name}\`: expected a line of colons (\`:::\`) to close it`, {
        place: div.position?.start,
        ruleId: 'unclosed-div',
        source: 'deck',
      })
    })
  }
}
