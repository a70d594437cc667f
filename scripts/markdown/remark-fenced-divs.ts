/** remark plugin: pandoc fenced divs (`::: columns`, `:::: {.column width=40%}`, `::: notes`). */
import type { Processor } from 'unified'
import { fencedDivs } from './micromark-fenced-divs.ts'
import { fencedDivsFromMarkdown } from './mdast-fenced-divs.ts'

export default function remarkFencedDivs(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(fencedDivs())
  ;(data.fromMarkdownExtensions ??= []).push(fencedDivsFromMarkdown())
}
