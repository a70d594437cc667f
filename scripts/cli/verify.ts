/**
 * `npm run verify`: re-runs every snippet the decks use and compares what it prints with the
 * committed output; a unified diff per drifted snippet, exit 1 on drift, and on a committed output
 * that prints the same but was recorded from other code (CI's build refuses it as stale). `--repeat N` runs each
 * snippet N times and names those whose output varies from run to run.
 * `npm run update`: re-runs them and rewrites the committed outputs.
 */
import path from 'node:path'
import { createTwoFilesPatch } from 'diff'
import { VFileMessage } from 'vfile-message'
import { prepareDeck } from '../build/stages.ts'
import { commitSnippetOutputs } from '../snippets/commit.ts'
import { obtainOutputs, requestId, type OutputOutcome } from '../snippets/outputs.ts'
import { CorruptStoredOutput, readStoredBody, readStoredStrict, type StoredOutput } from '../snippets/store.ts'
import { escapeTerminal, formatMessages, hasErrors } from '../core/report.ts'
import { findSnippetsDir, projectRoot } from '../core/paths.ts'
import { readDeckFile } from '../build/deck-file.ts'
import { loadDeckConfig } from '../build/deck-config.ts'
import type { RunnerSet } from '../snippets/runners.ts'

export interface VerifyOptions {
  repeat: number
  update: boolean
}

export async function verifyDecks(decks: string[], options: VerifyOptions): Promise<number> {
  let drifted = 0
  let stale = 0
  let failed = false
  let checked = 0
  for (const deckPath of decks) {
    const file = readDeckFile(deckPath)
    if (!hasErrors(file)) {
      try {
        await prepareDeck(file, 'rerun')
      } catch (error) {
        // Anything else is reported as a fatal message on the deck, so that it is printed.
        if (!(error instanceof VFileMessage)) {
          const message = file.message(error instanceof Error ? error.message : String(error), { ruleId: 'verify', source: 'snippets' })
          message.fatal = true
        }
      }
    }
    const report = formatMessages(file)
    if (report) console.error(report)
    if (hasErrors(file)) {
      failed = true
      continue
    }
    const outcomes = file.data.snippets?.outcomes ?? []
    for (const outcome of outcomes) {
      checked++
      let committed: StoredOutput | undefined
      let corrupt = ''
      try {
        committed = readStoredStrict(outcome.storeFile)
      } catch (error) {
        if (!(error instanceof CorruptStoredOutput)) throw error
        corrupt = error.message
      }
      const label = `snippets/${outcome.stored.snippet}${outcome.request.kind === 'lint' ? ` (lint ${outcome.request.select.join(',')})` : ''}`
      const oldText = committed ? `${committed.output}${exitLine(committed.exit)}` : corrupt ? readStoredBody(outcome.storeFile) : ''
      const newText = `${outcome.stored.output}${exitLine(outcome.stored.exit)}`
      if (oldText !== newText) {
        drifted++
        const patch = createTwoFilesPatch(`${label} (committed)`, `${label} (now)`, oldText, newText, '', '', { context: 3 })
        const why = corrupt ? `the committed output is corrupt (${corrupt})` : 'no committed output'
        console.log(escapeTerminal(committed ? patch : `${label}: ${why}\n${patch}`))
      } else if (committed && committed.key !== outcome.stored.key) {
        stale++
        console.log(escapeTerminal(`${label}: prints the same, but its committed output was recorded from other code, imports, files it reads, interpreter or options (a CI build refuses it as stale): \`npm run update\` records it`))
      }
    }
    if (options.repeat > 1) {
      const deckDir = path.dirname(path.resolve(deckPath))
      const varying = await findVarying(outcomes, findSnippetsDir(deckDir), options.repeat, loadDeckConfig(deckDir).runners)
      for (const snippet of varying) console.log(escapeTerminal(`snippets/${snippet}: output varies between ${options.repeat} runs`))
      if (varying.length > 0) failed = true
    }
    if (options.update) {
      for (const written of commitSnippetOutputs(file.data.snippets)) console.error(escapeTerminal(`wrote ${path.relative(process.cwd(), written)}`))
    }
  }
  const verdict = options.update ? 'updated' : drifted + stale === 0 ? 'no drift' : [drifted && `${drifted} drifted`, stale && `${stale} stale`].filter(Boolean).join(', ')
  console.error(`${checked} output${checked === 1 ? '' : 's'} checked: ${verdict}`)
  return failed || (!options.update && drifted + stale > 0) ? 1 : 0
}

function exitLine(exit: string): string {
  return exit === '0' || exit === '-' ? '' : `\n[exit: ${exit}]`
}

async function findVarying(outcomes: OutputOutcome[], snippetsDir: string, repeat: number, runners: RunnerSet): Promise<string[]> {
  const runs = outcomes.filter((outcome) => outcome.request.kind === 'run')
  const seen = new Map(runs.map((outcome) => [requestId(outcome.request), { snippet: outcome.stored.snippet, outputs: new Set([outcome.stored.output]) }]))
  for (let round = 1; round < repeat; round++) {
    const again = await obtainOutputs(runs.map((outcome) => outcome.request), { snippetsDir, projectDir: projectRoot, mode: 'rerun', runners })
    for (const [id, outcome] of again) seen.get(id)?.outputs.add(outcome.stored.output)
  }
  return [...seen.values()].filter((entry) => entry.outputs.size > 1).map((entry) => entry.snippet)
}
