/**
 * Conformance with pandoc's Markdown reader: each case in test/fixtures/pandoc/ is a rule written
 * as Markdown (`<rule>.md`) beside the block tree pandoc 2.17 gives it (`<rule>.json`, recorded by
 * `record.sh`; the test does not need pandoc). Our tree, reduced to the same block skeleton, must
 * be pandoc's. `errors/` holds divs that pandoc sees no closing fence for: pandoc reads them as
 * text, we stop with a positioned error (a deck with one is almost always a mistake).
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import type { Root } from 'mdast'
import { mdastSkeleton, pandocSkeleton } from './helpers/block-skeleton.ts'
import { pandocMarkdown } from '../scripts/markdown/parse.ts'
import { projectRoot } from '../scripts/paths.ts'

const casesDir = path.join(projectRoot, 'test', 'fixtures', 'pandoc')
const cases = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3)).sort()

async function read(file: VFile): Promise<Root> {
  const processor = pandocMarkdown()
  return (await processor.run(processor.parse(file), file)) as Root
}

function pandocTree(dir: string, name: string): string {
  return pandocSkeleton(JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')))
}

describe('the block tree pandoc builds', () => {
  it.each(cases(casesDir))('%s', async (name) => {
    const file = new VFile({ path: `${name}.md`, value: readFileSync(path.join(casesDir, `${name}.md`), 'utf8') })
    expect(mdastSkeleton(await read(file))).toBe(pandocTree(casesDir, name))
  })
})

describe('a div pandoc sees no closing fence for', () => {
  const dir = path.join(casesDir, 'errors')
  it.each(cases(dir))('%s: text for pandoc, a positioned error for us', async (name) => {
    const source = readFileSync(path.join(dir, `${name}.md`), 'utf8')
    // The case's last line names the div and its opening fence: `<!-- unclosed NAME at L:C -->`.
    const [, div, line, column] = /<!-- unclosed (\S+) at (\d+):(\d+) -->/.exec(source) ?? []
    expect(div).toBeDefined()
    expect(pandocTree(dir, name)).not.toMatch(new RegExp(`^\\s*Div .*\\.${div}\\b`, 'm'))
    const file = new VFile({ path: `${name}.md`, value: source })
    await expect(read(file)).rejects.toThrow(new RegExp(`Unclosed div \`${div}\``))
    expect(file.messages[0]?.place).toMatchObject({ line: Number(line), column: Number(column) })
  })
})
