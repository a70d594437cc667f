/** Runs the Markdown front end on a fixture file and returns the Marp Markdown and the messages. */
import { readFileSync } from 'node:fs'
import { VFile } from 'vfile'
import { deckProcessor } from '../../scripts/build/stages.ts'
import { deckToMarp } from '../../scripts/marp/markdown.ts'

export interface FrontEndResult {
  file: VFile
  markdown: string | undefined
  messages: string
}

export async function runFrontEnd(deckPath: string): Promise<FrontEndResult> {
  const file = new VFile({ path: deckPath, value: readFileSync(deckPath, 'utf8') })
  let markdown: string | undefined
  try {
    const processor = deckProcessor()
    await processor.run(processor.parse(file), file)
    markdown = file.data.deck ? deckToMarp(file.data.deck) : undefined
  } catch (error) {
    // a fatal message is on the file; anything else is a bug
    if (!file.messages.some((message) => message.fatal)) throw error
  }
  const messages = file.messages
    .map((m) => `${m.line ?? 0}:${m.column ?? 0} ${m.fatal ? 'error' : m.fatal === false ? 'warning' : 'info'} ${m.ruleId ?? ''} ${m.reason}`)
    .join('\n')
  return { file, markdown, messages }
}
