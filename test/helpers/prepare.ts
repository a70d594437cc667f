/**
 * A build up to the end of parsing, in this process: the messages the CLI would print for a deck
 * that fails (or warns) before rendering, without a child process or a browser. For rows that
 * check a message and its position; a few rows of each kind still go through the CLI.
 */
import path from 'node:path'
import { VFileMessage } from 'vfile-message'
import { readDeckFile } from '../../scripts/build/deck-file.ts'
import { prepareDeck } from '../../scripts/build/stages.ts'
import { formatMessages, hasErrors } from '../../scripts/core/report.ts'
import type { OutputMode } from '../../scripts/snippets/outputs.ts'
import { commitSnippetOutputs } from '../../scripts/snippets/commit.ts'

export interface Prepared {
  /** The messages as the CLI run in the deck's folder prints them (paths relative to it). */
  stderr: string
  failed: boolean
}

/** Reads and parses a deck (its snippets run or reused as `mode` says), as `deck build` does first. */
export async function prepareMessages(deckPath: string, mode: OutputMode = 'reuse', options: { commit?: boolean } = {}): Promise<Prepared> {
  const file = readDeckFile(deckPath)
  if (!hasErrors(file)) {
    try {
      await prepareDeck(file, mode)
      if (options.commit && !hasErrors(file)) commitSnippetOutputs(file.data.snippets)
    } catch (error) {
      // What the build turns into a message (build/pipeline.ts).
      if (!(error instanceof VFileMessage)) file.message(error instanceof Error ? error.message : String(error), { ruleId: 'build', source: 'deck' }).fatal = true
    }
  }
  // Paths in messages are relative to the working folder: as seen from the deck's folder.
  const stderr = formatMessages(file).replaceAll(`${path.relative(process.cwd(), path.dirname(deckPath))}${path.sep}`, '')
  return { stderr, failed: hasErrors(file) }
}
