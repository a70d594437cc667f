import { forgetPending } from './pending.ts'
import type { SnippetReport } from './remark-snippets.ts'
import { formatStored, readStored, writeStored } from './store.ts'

/** Writes the outputs that ran in this build, where they differ from what is stored. */
export function commitSnippetOutputs(report: SnippetReport | undefined): string[] {
  const written: string[] = []
  for (const outcome of report?.outcomes ?? []) {
    if (!outcome.ran || outcome.failure) continue
    forgetPending(outcome.storeFile)
    const current = readStored(outcome.storeFile)
    if (current && formatStored(current) === formatStored(outcome.stored)) continue
    writeStored(outcome.storeFile, outcome.stored)
    written.push(outcome.storeFile)
  }
  return written
}
