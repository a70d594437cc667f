/**
 * The Markdown front end: pandoc-flavoured Markdown to the slide model (`file.data.deck`).
 * The order of the transforms is written here and nowhere else.
 */
import { unified } from 'unified'
import remarkParse from 'remark-parse'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import remarkFencedDivs from './remark-fenced-divs.ts'
import remarkPandocBlockquote from './remark-pandoc-blockquote.ts'
import remarkPandocAttributes from './remark-pandoc-attributes.ts'
import remarkRawTex from './remark-raw-tex.ts'
import remarkInlineImages from './remark-inline-images.ts'
import remarkSlides from './remark-slides.ts'
import remarkDeckSettings from './remark-deck-settings.ts'
import remarkUnclosedFence from './remark-unclosed-fence.ts'

export interface ParseOptions {
  /** Transforms that run after the syntax is read and before slides are cut (snippets); they
   *  can read the front matter's settings on `file.data.settings`. */
  transforms?: Array<(tree: Root, file: VFile) => void | Promise<void>>
}

export async function parseDeck(file: VFile, options: ParseOptions = {}): Promise<Root> {
  const processor = unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm, { singleTilde: false })
    .use(remarkPandocBlockquote)
    .use(remarkFencedDivs)
    .use(remarkPandocAttributes)
    .use(remarkRawTex)
    .use(remarkUnclosedFence)
  const tree = processor.parse(file)
  remarkDeckSettings()(tree, file)
  await processor.run(tree, file)
  for (const transform of options.transforms ?? []) await transform(tree, file)
  remarkInlineImages()(tree, file)
  remarkSlides()(tree, file)
  return tree
}
