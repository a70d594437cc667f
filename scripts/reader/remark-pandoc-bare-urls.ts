/**
 * remark plugin: a bare URL or e-mail address is text, as in pandoc's Markdown (its
 * `autolink_bare_uris` is off); GFM links them. Only `<https://...>` and `[text](url)` are links.
 */
import type { Parent, PhrasingContent, Root } from 'mdast'
import type { VFile } from 'vfile'
import { SKIP, visit } from 'unist-util-visit'

export default function remarkPandocBareUrls() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value)
    visit(tree, 'link', (link, index, parent: Parent | undefined) => {
      const start = link.position?.start.offset
      if (!parent || index === undefined || start === undefined || source[start] === '<' || source[start] === '[') return undefined
      parent.children.splice(index, 1, ...(link.children as PhrasingContent[]))
      return [SKIP, index]
    })
  }
}
