/**
 * The reader of the Markdown front end: pandoc-flavoured Markdown to mdast, the block tree pandoc
 * builds (its syntax extensions and the transforms that make remark's tree pandoc's). The stages
 * after it (snippets, images, slides) follow in the chain in scripts/build/stages.ts (deckProcessor).
 *
 * micromark is held at 4.0.2 (`overrides` in package.json): 4.0.3's document tokenizer copies the
 * whole event list each time a list item or quote ends (micromark-util-edit-map), so parsing grows
 * with the square of the deck (1000 slides: ~1 s of ~2 s). The tokens, and so the tree, are the same.
 */
import { unified } from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import { remarkDefinitionList } from 'remark-definition-list'
import remarkFencedDivs from './remark-fenced-divs.ts'
import remarkFrontMatter from './remark-front-matter.ts'
import remarkLineBlock from './remark-line-block.ts'
import remarkGridTable from './remark-grid-table.ts'
import remarkPandocBlockquote from './remark-pandoc-blockquote.ts'
import remarkPandocHtmlBlocks from './remark-pandoc-html-blocks.ts'
import remarkPandocAttributes from './remark-pandoc-attributes.ts'
import remarkPandocSpans from './remark-pandoc-spans.ts'
import remarkPandocBareUrls from './remark-pandoc-bare-urls.ts'
import remarkRawTexBlock from './remark-raw-tex-block.ts'
import remarkDeckSettings, { type DeckSettingsOptions } from './remark-deck-settings.ts'

/** pandoc Markdown to mdast (test/conformance); the front matter's settings on `file.data.settings`. */
export function pandocMarkdown(settings: DeckSettingsOptions = {}) {
  return unified()
    .use(remarkParse)
    .use(remarkFrontMatter)
    .use(remarkDeckSettings, settings)
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
