/**
 * The build of one deck, stage by stage. This is the one place the order is written:
 *
 *   read -> parse (pandoc Markdown to the slide model) -> write Marp Markdown
 *        -> render HTML and PDF into a scratch folder -> move into dist/
 *
 * Problems are vfile messages on the deck's file; a fatal one stops the build before anything in
 * dist/ is touched (outputs are written aside, then renamed into place).
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import { VFileMessage } from 'vfile-message'
import { parseDeck } from './markdown/parse.ts'
import { deckToMarp } from './markdown/marp-markdown.ts'
import type { Deck } from './markdown/deck-model.ts'

export type OutputFormat = 'html' | 'pdf'

export interface BuildOptions {
  formats: OutputFormat[]
  outDir: string
}

export interface BuildResult {
  file: VFile
  deck?: Deck
  outputs: string[]
}

export async function buildDeck(deckPath: string, options: BuildOptions): Promise<BuildResult> {
  const file = readDeck(deckPath)
  const result: BuildResult = { file, outputs: [] }
  if (hasErrors(file)) return result
  try {
    await parseDeck(file)
    const deck = file.data.deck
    if (!deck) throw new Error('the parser produced no slides')
    result.deck = deck
    const marpMarkdown = deckToMarp(deck)

    mkdirSync(options.outDir, { recursive: true })
    const scratch = mkdtempSync(path.join(options.outDir, '.build-'))
    try {
      const name = file.stem ?? 'deck'
      const input = path.join(scratch, `${name}.md`)
      writeFileSync(input, marpMarkdown)
      const { renderMarp } = await import('./render/marp.ts')
      const rendered: Array<[string, string]> = []
      for (const format of options.formats) {
        const output = path.join(scratch, `${name}.${format}`)
        await renderMarp({ input, output, format })
        rendered.push([output, path.join(options.outDir, `${name}.${format}`)])
      }
      for (const [from, to] of rendered) {
        renameSync(from, to)
        result.outputs.push(to)
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  } catch (error) {
    if (!(error instanceof VFileMessage)) {
      const message = file.message(error instanceof Error ? error.message : String(error), { ruleId: 'build', source: 'deck' })
      message.fatal = true
    }
  }
  return result
}

function readDeck(deckPath: string): VFile {
  const relative = path.relative(process.cwd(), deckPath) || deckPath
  if (!existsSync(deckPath)) {
    const file = new VFile({ path: relative })
    const message = file.message(`Cannot find the deck \`${deckPath}\``, { ruleId: 'deck-not-found', source: 'deck' })
    message.fatal = true
    return file
  }
  return new VFile({ path: relative, value: readFileSync(deckPath, 'utf8') })
}

export function hasErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true)
}
