/**
 * The Markdown front end: pandoc-flavoured Markdown to the slide model (`file.data.deck`).
 * The order of the transforms is written here and nowhere else.
 */
import { unified } from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import { remarkDefinitionList } from 'remark-definition-list'
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import remarkFencedDivs from './remark-fenced-divs.ts'
import remarkFrontMatter from './remark-front-matter.ts'
import remarkLineBlock from './remark-line-block.ts'
import remarkGridTable from './remark-grid-table.ts'
import remarkPandocBlockquote from './remark-pandoc-blockquote.ts'
import remarkPandocHtmlBlocks from './remark-pandoc-html-blocks.ts'
import remarkPandocAttributes from './remark-pandoc-attributes.ts'
import remarkPandocSpans from './remark-pandoc-spans.ts'
import remarkPandocBareUrls from './remark-pandoc-bare-urls.ts'
import remarkRawTex from './remark-raw-tex.ts'
import remarkRawTexBlock from './remark-raw-tex-block.ts'
import remarkInlineImages from './remark-inline-images.ts'
import remarkSlides from './remark-slides.ts'
import remarkDeckSettings from './remark-deck-settings.ts'
import remarkUnclosedFence from './remark-unclosed-fence.ts'

export interface ParseOptions {
  /** Transforms that run after the syntax is read and before slides are cut (snippets); they
   *  can read the front matter's settings on `file.data.settings`. */
  transforms?: Array<(tree: Root, file: VFile) => void | Promise<void>>
}

/** The reader alone: pandoc Markdown to mdast, the block tree pandoc builds (test/conformance). */
export function pandocMarkdown() {
  return unified()
    .use(remarkParse)
    .use(remarkFrontMatter)
    .use(remarkGfm, { singleTilde: false })
    .use(remarkPandocBlockquote)
    .use(remarkPandocHtmlBlocks)
    .use(remarkDefinitionList)
    .use(remarkFencedDivs)
    .use(remarkRawTexBlock)
    .use(remarkLineBlock)
    .use(remarkGridTable)
    .use(remarkPandocBareUrls)
    .use(remarkPandocSpans)
    .use(remarkPandocAttributes)
}

export async function parseDeck(file: VFile, options: ParseOptions = {}): Promise<Root> {
  const processor = pandocMarkdown().use(remarkRawTex).use(remarkUnclosedFence)
  const tree = processor.parse(file)
  remarkDeckSettings()(tree, file)
  await processor.run(tree, file)
  for (const transform of options.transforms ?? []) await transform(tree, file)
  remarkInlineImages()(tree, file)
  remarkSlides()(tree, file)
  return tree
}
