/**
 * Each public pandoc-beamer deck of the corpus gives the block tree pandoc gives it
 * (`pandoc-ast/<deck>.json`, recorded with pandoc 2.17 beside the corpus), deck by deck.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import type { Root } from 'mdast'
import { sharedDir } from './helpers/cli.ts'
import { mdastSkeleton, pandocSkeleton } from './helpers/block-skeleton.ts'
import { pandocMarkdown } from '../scripts/markdown/parse.ts'

const corpusDir = path.join(sharedDir, 'corpus', 'pandoc-beamer')
const decks = readdirSync(corpusDir).filter((name) => name.endsWith('.md') && name !== 'README.md').sort()

async function ours(file: string): Promise<string> {
  const vfile = new VFile({ path: file, value: readFileSync(file, 'utf8') })
  const processor = pandocMarkdown()
  const tree = (await processor.run(processor.parse(vfile), vfile)) as Root
  return mdastSkeleton(tree)
}

describe('corpus decks read as pandoc reads them', () => {
  it.each(decks)('%s: the block tree of pandoc-ast/', async (name) => {
    const expected = pandocSkeleton(JSON.parse(readFileSync(path.join(corpusDir, 'pandoc-ast', name.replace(/\.md$/, '.json')), 'utf8')))
    expect(await ours(path.join(corpusDir, name))).toBe(expected)
  })
})
