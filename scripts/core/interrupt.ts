/**
 * Ctrl-C, a closed terminal, a CI runner's stop: on SIGINT, SIGTERM or SIGHUP every snippet still
 * running is stopped (with whatever it started), the build's browser is killed with its profile
 * (browser/browser.ts killBrowserNow, registered by the CLI), scratch files go, and the command exits 128 + the signal's
 * number with one line. dist/ and the stored outputs are written only at the end of a successful
 * build, so they stay as they were.
 */
import { constants } from 'node:os'

type Cleanup = () => void
const cleanups = new Set<Cleanup>()
let stopSnippets: (() => number) | undefined
let outcome = 'the build wrote nothing'

/** What the interrupt line says happened (a command that is not a build says its own). */
export function describeInterrupt(text: string): void {
  outcome = text
}

/** Runs `cleanup` if the command is interrupted; the returned function unregisters it. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup)
  return () => cleanups.delete(cleanup)
}

/** Installs the handlers (once, by the command line). `stop` stops the running snippets. */
export function handleInterrupts(stop: () => number): void {
  stopSnippets = stop
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => stopNow(`Interrupted (${signal})`, 128 + constants.signals[signal]))
  }
}

let stopping = false
/**
 * Stops the command as an interrupt does (snippets, cleanups, one line, exit `code`), for `cause`:
 * a signal, or the dev server's command gone (cli/parent-watch.ts). Synchronous: the process exits.
 */
export function stopNow(cause: string, code: number): void {
  if (stopping) return
  stopping = true
  const stopped = stopSnippets?.() ?? 0
  for (const cleanup of cleanups) {
    try {
      cleanup()
    } catch {
      // keep cleaning
    }
  }
  const what = stopped > 0 ? `: stopped ${stopped} running snippet${stopped === 1 ? '' : 's'}` : ''
  process.stderr.write(`${cause}${what}; ${outcome}\n`)
  process.exit(code)
}
