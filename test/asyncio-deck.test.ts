/**
 * The asyncio talk as a speaker needs it: every slide has speaker notes, and the "spot the error"
 * pair shows what the talk is about (an exception swallowed by asyncio.wait, then propagated),
 * read from the parsed deck and its committed outputs (frozen: nothing runs, nothing is written).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Code, RootContent } from 'mdast'
import { VFile } from 'vfile'
import { beforeAll, describe, expect, it } from 'vitest'
import { prepareDeck } from '../scripts/build/stages.ts'
import type { Deck, Slide } from '../scripts/slides/deck-model.ts'
import { selectCode } from '../scripts/snippets/resolve.ts'
import { projectRoot, snippetsDir } from '../scripts/core/paths.ts'

const deckFile = path.join(projectRoot, 'slides', 'asyncio.md')

async function parse(value: string, file = deckFile): Promise<{ deck: Deck; vfile: VFile }> {
  const vfile = new VFile({ path: file, value })
  const deck = await prepareDeck(vfile, 'frozen')
  return { deck, vfile }
}

/** Nodes of a slide in document order, inside columns and other divs too. */
function nodesOf(nodes: RootContent[]): RootContent[] {
  return nodes.flatMap((node) => [node, ...('children' in node ? nodesOf(node.children as RootContent[]) : [])])
}

function notesOf(slide: Slide): string {
  return nodesOf(slide.body)
    .filter((node) => node.type === 'fencedDiv' && node.attributes.classes.includes('notes'))
    .map((node) => nodesOf([node]).flatMap((inner) => (inner.type === 'text' ? [inner.value] : [])).join(' '))
    .join(' ')
    .trim()
}

/** Titles of the `##` slides (content slides) that have no speaker notes. */
function slidesWithoutNotes(deck: Deck): string[] {
  return deck.slides.filter((slide) => slide.kind === 'content' && notesOf(slide) === '').map((slide) => slide.titleText)
}

function blocks(slide: Slide, lang: string): string[] {
  return nodesOf(slide.body).flatMap((node) => (node.type === 'code' && (node as Code).lang === lang ? [(node as Code).value] : []))
}

let deck: Deck
let vfile: VFile
beforeAll(async () => {
  ;({ deck, vfile } = await parse(readFileSync(deckFile, 'utf8')))
})

describe('slides/asyncio.md', () => {
  it('builds its model from fresh committed outputs', () => {
    expect(vfile.messages.filter((message) => message.fatal).map(String)).toEqual([])
  })

  it('has speaker notes on every ## slide', () => {
    expect(deck.slides.filter((slide) => slide.kind === 'content').length).toBeGreaterThan(10)
    expect(slidesWithoutNotes(deck)).toEqual([])
  })

  it('names a slide that has no notes (the check can fail)', async () => {
    const { deck: small } = await parse('---\ntitle: t\n---\n\n# s\n\n## with\n\ntext\n\n::: notes\nSay it.\n:::\n\n## without\n\ntext\n')
    expect(slidesWithoutNotes(small)).toEqual(['without'])
  })

  it('"spot the error" shows the exception swallowed, and main5 finishing', () => {
    const index = deck.slides.findIndex((slide) => slide.titleText.includes('spot the error'))
    const slide = deck.slides[index]!
    const [code] = blocks(slide, 'python')
    // What the author meant: tasks made from the coroutines, not bare coroutines.
    expect(code).toContain('asyncio.create_task(failing_coro())')
    expect(code).toMatch(/_, pending = await asyncio\.wait\(tasks,/)
    const [output] = blocks(slide, 'output')
    expect(output).toContain('Exception: some exception')
    const swallowed = output!.indexOf('Task exception was never retrieved')
    expect(swallowed).toBeGreaterThan(-1)
    expect(output!.indexOf('main5 finished')).toBeGreaterThan(swallowed)
    expect(output).not.toMatch(/NameError|TypeError/)
  })

  it('the next slide shows the exception propagating into main5, called as before', () => {
    const index = deck.slides.findIndex((slide) => slide.titleText.includes('spot the error'))
    const next = deck.slides[index + 1]!
    expect(next.titleText).toContain('pick up exceptions')
    const [output] = blocks(next, 'output')
    expect(output).toMatch(/^Traceback \(most recent call last\):$/m)
    expect(output).toMatch(/Exception: some exception$/)
    expect(output).not.toContain('main5 finished')
    expect(output).not.toContain('never retrieved')
    // The stored output behind it: the traceback passes through main5, and the program fails.
    const outcome = vfile.data.snippets?.outcomes.find((entry) => entry.request.snippet === 'asyncio/fixed_main5.py')
    expect(outcome?.stored.exit).toBe('1')
    expect(outcome?.stored.output).toMatch(/, in main5\n\s+await wait_until_first_completed\(/)
    // Same call on both slides: main5 of the fix is main5 of the pitfall.
    const source = (name: string) => readFileSync(path.join(snippetsDir, 'asyncio', name), 'utf8')
    const pitfallMain5 = selectCode(source('pitfall_main5.py'), 'pitfall_main5.py', { region: 'main5' }).split(/\n(?=async def main5)/)[1]
    expect(selectCode(source('fixed_main5.py'), 'fixed_main5.py', { region: 'main5' })).toBe(pitfallMain5)
  })
})
