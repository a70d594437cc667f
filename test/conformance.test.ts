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
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import type { Root } from 'mdast'
import { mdastInlineAttributes, mdastSkeleton, pandocInlineAttributes, pandocSkeleton } from './helpers/block-skeleton.ts'
import { pandocMarkdown } from '../scripts/reader/parse.ts'
import { projectRoot } from '../scripts/core/paths.ts'

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
    const tree = await read(file)
    expect(mdastSkeleton(tree)).toBe(pandocTree(casesDir, name))
    // Attributes on spans, inline code, raw inlines, images and links, in order.
    const pandoc = JSON.parse(readFileSync(path.join(casesDir, `${name}.json`), 'utf8'))
    expect(mdastInlineAttributes(tree)).toBe(pandocInlineAttributes(pandoc))
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

/** pandoc's metadata value as plain text (`MetaInlines` and `MetaString`; lists item by item). */
function metaText(value: { t: string; c: unknown } | undefined): string | string[] | undefined {
  if (!value) return undefined
  if (value.t === 'MetaList') return (value.c as Array<{ t: string; c: unknown }>).map((item) => metaText(item) as string)
  if (value.t === 'MetaString') return value.c as string
  const inlines = value.c as Array<{ t: string; c?: unknown }>
  return inlines.map((inline) => (inline.t === 'Str' ? (inline.c as string) : inline.t === 'Space' || inline.t === 'SoftBreak' ? ' ' : '')).join('')
}

describe('the metadata block pandoc reads', () => {
  const withMeta = cases(casesDir).filter((name) => Object.keys(JSON.parse(readFileSync(path.join(casesDir, `${name}.json`), 'utf8')).meta).length > 0)
  it.each(withMeta)('%s: title, author and date', async (name) => {
    const meta = JSON.parse(readFileSync(path.join(casesDir, `${name}.json`), 'utf8')).meta
    const file = new VFile({ path: `${name}.md`, value: readFileSync(path.join(casesDir, `${name}.md`), 'utf8') })
    const front = (await read(file)).children.find((node) => node.type === 'yaml')
    const ours = parseYaml(front?.type === 'yaml' ? front.value : '') as Record<string, unknown>
    for (const key of ['title', 'author', 'date']) expect(ours[key], key).toEqual(metaText(meta[key]))
  })
})
