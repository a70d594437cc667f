/**
 * Processes a test started, tracked by the test itself: the CLI gets a marker of the test's own in
 * its environment (its descendants, the browser among them, inherit it), and hostile snippets, whose
 * environment is pinned, write `pid starttime` lines into a file. Nothing here looks at command
 * lines of other processes on the machine.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { waitFor } from './dev-server.ts'

export const MARK_VARIABLE = 'DECK_TEST_MARK'

export function newMark(): string {
  return randomBytes(8).toString('hex')
}

/** Live processes whose environment holds the marker. */
export function markedProcesses(mark: string): number[] {
  const needle = Buffer.from(`${MARK_VARIABLE}=${mark}\0`)
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/environ`).includes(needle) && !isZombie(Number(name))
      } catch {
        return false
      }
    })
    .map(Number)
}

/**
 * What `find` still finds after a grace of `ms`: a process killed with SIGKILL goes a moment
 * later (longer on a loaded machine), and while it goes its environment can no longer be read.
 */
async function leftAfter(find: () => number[], ms: number): Promise<number[]> {
  await waitFor('the processes to go', () => find().length === 0, ms).catch(() => undefined)
  return find()
}

/** The marked processes still there after a grace (leftAfter). */
export function markedProcessesLeft(mark: string, ms = 3000): Promise<number[]> {
  return leftAfter(() => markedProcesses(mark), ms)
}

/** The recorded processes still there after a grace (leftAfter). */
export function survivorsLeft(pidFile: string, ms = 3000): Promise<number[]> {
  return leftAfter(() => survivors(pidFile), ms)
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

function isZombie(pid: number): boolean {
  const state = statFields(pid)?.[0]
  return state === 'Z' || state === 'X'
}

/** The processes a pid file names (`pid starttime` lines) that still run: the same pid, started at the same time. */
export function survivors(pidFile: string): number[] {
  if (!existsSync(pidFile)) return []
  return readFileSync(pidFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ').map(Number) as [number, number])
    .filter(([pid, started]) => {
      const fields = statFields(pid)
      return fields !== undefined && fields[0] !== 'Z' && fields[0] !== 'X' && Number(fields[19]) === started
    })
    .map(([pid]) => pid)
}

/** The pid-file line, as shell code a snippet runs (`$$` is the shell's own pid). */
export const RECORD_PID_SH = `echo "$$ $(cut -d' ' -f22 /proc/$$/stat)" >> "$PIDS"`
/** The same in Python. */
export const RECORD_PID_PY = `open(PIDS, "a").write(f"{os.getpid()} {open('/proc/self/stat').read().rsplit(')', 1)[1].split()[19]}\\n")`

/**
 * The command line in a child process, without blocking the test worker: what a command leaves
 * running is seen only of a process of its own (in the tests' process, a build's browser outlives
 * it on purpose, and the marker would be the worker's).
 */
export { runCliProcess as runCliAsync } from './cli.ts'
