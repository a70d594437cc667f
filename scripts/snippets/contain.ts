/**
 * Finds every process a snippet run started, also one that left its process group and session
 * (setsid, a double-forked daemon): each run's environment carries a token of its own, and
 * /proc/<pid>/environ is the environment a process was started with, which a daemon keeps. A
 * process that also dropped its environment (`env -i`) is still found while it stays in the run's
 * session. Linux only; elsewhere the process group is all there is.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** The environment variable that marks a run's processes. */
export const RUN_TOKEN_VARIABLE = 'DECK_SNIPPET_RUN'

export interface RunProcess {
  pid: number
  /** Its command line, cut to a readable length. */
  command: string
}

const hasProc = (() => {
  try {
    readdirSync('/proc/self')
    return true
  } catch {
    return false
  }
})()

/**
 * When a process started, in clock ticks since boot (its /proc stat's 22nd field), if it runs.
 * Nothing a run starts can be older than its launcher.
 */
export function startTimeOf(pid: number | undefined): number | undefined {
  const stat = pid === undefined ? undefined : readProc(pid, 'stat')
  if (!stat) return undefined
  const started = Number(stat.toString('latin1').slice(stat.lastIndexOf(')') + 2).split(' ')[19])
  return Number.isFinite(started) ? started : undefined
}

/**
 * The live processes of one run: those whose environment holds the token, or whose session is
 * the launcher's (the launcher starts a session of its own). Zombies are dead already. With
 * `since` (the launcher's start time) processes started before it are passed over without reading
 * their environment: the scan then costs a stat read per process of the machine.
 */
export function findRunProcesses(token: string, launcherPid: number | undefined, since?: number): RunProcess[] {
  if (!hasProc) return []
  const marker = Buffer.from(`${RUN_TOKEN_VARIABLE}=${token}\0`)
  const found: RunProcess[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const pid = Number(name)
    if (pid === process.pid) continue
    const stat = readProc(pid, 'stat')
    if (!stat) continue
    // `pid (comm) state ppid pgrp session ...`: comm may hold spaces and parentheses.
    const fields = stat.toString('latin1').slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] === 'Z' || fields[0] === 'X') continue
    if (since !== undefined && Number(fields[19]) < since) continue
    const session = Number(fields[3])
    const ours = (launcherPid !== undefined && session === launcherPid) || readProc(pid, 'environ')?.includes(marker) === true
    if (ours) found.push({ pid, command: commandLine(pid) })
  }
  return found
}

/**
 * Kills the run's processes until none is left (a forking process may start new ones while it is
 * being killed: each pass catches those). Returns the ones it found, for the warning.
 */
export function stopRunProcesses(token: string, launcherPid: number | undefined, except: number[] = [], since?: number): RunProcess[] {
  const stopped = new Map<number, RunProcess>()
  for (let pass = 0; pass < 100; pass++) {
    const found = findRunProcesses(token, launcherPid, since).filter((entry) => !except.includes(entry.pid))
    if (found.length === 0) break
    // Stop them all first, so that none forks between its siblings' deaths, then kill.
    for (const entry of found) signal(entry.pid, 'SIGSTOP')
    for (const entry of found) {
      signal(entry.pid, 'SIGKILL')
      if (!stopped.has(entry.pid)) stopped.set(entry.pid, entry)
    }
  }
  return [...stopped.values()]
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // gone already
  }
}

function readProc(pid: number, entry: string): Buffer | undefined {
  try {
    return readFileSync(`/proc/${pid}/${entry}`)
  } catch {
    return undefined
  }
}

function commandLine(pid: number): string {
  const raw = readProc(pid, 'cmdline')
  const words = raw && raw.length > 0 ? raw.toString('utf8').replace(/\0+$/, '').split('\0') : [`[${readProc(pid, 'comm')?.toString('utf8').trim() ?? '?'}]`]
  // The program's name is enough (`python3.11`, not the folder it was installed in).
  if (words[0]?.startsWith('/')) words[0] = words[0].slice(words[0].lastIndexOf('/') + 1)
  const text = words.join(' ')
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}
