/**
 * remark plugin: the metadata block at the start of a deck, as pandoc reads it (see
 * micromark-front-matter): YAML between `---` and `---` or `...`, or a `%` title block. Both
 * become the `yaml` node that remark-deck-settings reads; a title block is written as the YAML
 * of its title, authors (`;`-separated or one per line) and date.
 */
import type { Yaml } from 'mdast'
import type { Processor } from 'unified'
import type { CompileContext, Token } from 'mdast-util-from-markdown'
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter'
import { frontMatter } from './syntax/front-matter.ts'

export default function remarkFrontMatter(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(frontMatter())
  ;(data.fromMarkdownExtensions ??= []).push(frontmatterFromMarkdown(['yaml']), {
    enter: {
      pandocTitleBlock(this: CompileContext, token: Token) {
        this.enter({ type: 'yaml', value: '', data: { titleBlock: [] } } as Yaml, token)
      },
    },
    exit: {
      pandocTitleBlockPart(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as Yaml
        const lines = this.sliceSerialize(token).slice(1).split(/\r?\n|\r/)
        node.data?.titleBlock?.push(lines.map((line) => line.trim()).filter(Boolean))
      },
      pandocTitleBlock(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as Yaml
        const [title = [], authors = [], date = []] = node.data?.titleBlock ?? []
        const list = authors.flatMap((line) => line.split(';')).map((name) => name.trim()).filter(Boolean)
        const entries: Array<[string, string | string[]]> = [
          ['title', title.join(' ')],
          ['author', list],
          ['date', date.join(' ')],
        ]
        node.value = entries
          .filter(([, value]) => value.length > 0)
          .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
          .join('\n')
        delete node.data
        this.exit(token)
      },
    },
  })
}

declare module 'mdast' {
  interface YamlData {
    /** While a `%` title block is read: the lines of each part. */
    titleBlock?: string[][]
  }
}
