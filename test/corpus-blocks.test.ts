/**
 * Each public pandoc-beamer deck of the corpus gives the block tree pandoc gives it
 * (`pandoc-ast/<deck>.json`, recorded with pandoc 2.17 beside the corpus), deck by deck, and
 * the same attributes on its spans, inline code, images and links.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import type { Root } from 'mdast'
import { shared } from './helpers/cli.ts'
import { mdastInlineAttributes, mdastSkeleton, pandocInlineAttributes, pandocSkeleton } from './helpers/block-skeleton.ts'
import { pandocMarkdown } from '../scripts/reader/parse.ts'

const corpusDir = shared('corpus', 'pandoc-beamer')
const decks = readdirSync(corpusDir).filter((name) => name.endsWith('.md') && name !== 'README.md').sort()

async function read(file: string): Promise<Root> {
  const vfile = new VFile({ path: file, value: readFileSync(file, 'utf8') })
  const processor = pandocMarkdown()
  return (await processor.run(processor.parse(vfile), vfile)) as Root
}

describe('corpus decks read as pandoc reads them', () => {
  it.each(decks)('%s: the block tree and inline attributes of pandoc-ast/', async (name) => {
    const pandoc = JSON.parse(readFileSync(path.join(corpusDir, 'pandoc-ast', name.replace(/\.md$/, '.json')), 'utf8'))
    const tree = await read(path.join(corpusDir, name))
    expect(mdastSkeleton(tree)).toBe(pandocSkeleton(pandoc))
    expect(mdastInlineAttributes(tree)).toBe(pandocInlineAttributes(pandoc))
  })
})
