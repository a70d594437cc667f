/**
 * A server's (or a watcher's) life follows the command that started it. `npm run dev` runs the
 * toolchain as npm -> sh -c -> node: a SIGTERM to npm reaches `sh`, which dies without passing it
 * on, and a SIGKILL to npm reaches nobody. So the dev server and `build --watch` watch the
 * processes above them, up to npm (or only the parent when npm did not start it): when one of them
 * is gone (or its pid now names another process), `gone` is called, within one poll.
 */
import { readFileSync } from 'node:fs'
import { constants } from 'node:os'
import { stopNow } from '../core/interrupt.ts'
import { startTimeOf } from '../snippets/contain.ts'

const POLL_MS = 200
/** npm -> sh -> node: npm is at most this many levels up (a wrapper or two included). */
const MAX_LEVELS = 4

interface Watched {
  pid: number
  started: number | undefined
}

/**
 * The command stops as on SIGHUP, saying why, once npm (or the parent) is gone: a SIGTERM to npm
 * does not reach this process.
 */
export function stopWhenParentsEnd(): void {
  watchParents((why) => stopNow(`Stopped (${why})`, 128 + constants.signals.SIGHUP))
}

/** Starts watching; returns a function that stops it. */
function watchParents(gone: (why: string) => void): () => void {
  const parent = process.ppid
  const watched = ancestors(parent)
  // Under npm, the command the user typed is what ended (npm's shell may be the first to go).
  const script = process.env.npm_lifecycle_event
  const ended = (pid: number) => (script ? `\`npm run ${script}\` ended` : `the command that started it ended (process ${pid})`)
  const timer = setInterval(() => {
    if (process.ppid !== parent) return stop(ended(parent))
    const left = watched.find((entry) => entry.started !== undefined && startTimeOf(entry.pid) !== entry.started)
    if (left) stop(ended(left.pid))
  }, POLL_MS)
  timer.unref()
  const stop = (why: string) => {
    clearInterval(timer)
    gone(why)
  }
  return () => clearInterval(timer)
}

function ancestors(parent: number): Watched[] {
  const found: Watched[] = []
  let pid = parent
  for (let level = 0; level < MAX_LEVELS && pid > 1; level++) {
    found.push({ pid, started: startTimeOf(pid) })
    // Only npm's chain is followed past the parent (a shell above npm is the user's own).
    if (!process.env.npm_lifecycle_event || isNpm(pid)) break
    const next = parentOf(pid)
    if (next === undefined) break
    pid = next
  }
  return found
}

function read(pid: number, entry: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${entry}`, 'latin1')
  } catch {
    return undefined
  }
}

function isNpm(pid: number): boolean {
  const args = (read(pid, 'cmdline') ?? '').split('\0')
  return args.slice(0, 2).some((arg) => /(^|[/\\])npm(-cli\.js)?(\s|$)/.test(arg))
}

function parentOf(pid: number): number | undefined {
  const stat = read(pid, 'stat')
  if (!stat) return undefined
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  return Number.isInteger(ppid) ? ppid : undefined
}
