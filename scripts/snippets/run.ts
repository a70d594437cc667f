/**
 * Runs one snippet file the way a terminal would show it: stdout and stderr on one pipe, a
 * minimal pinned environment, no stdin, cwd = the snippet's folder. Between the build and the
 * snippet sits a small launcher, a shell holding only the pinned environment in a session of its
 * own, so that what a snippet can read of its parent (/proc/<ppid>/environ) is nothing of the
 * build's. Limits: a timeout (SIGINT to the group, then SIGKILL to every process of
 * the run), an output cap with a clean UTF-8 cut; every process still running when the snippet
 * ends is found (contain.ts), killed and named; invalid UTF-8 and signal deaths are flagged.
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../core/paths.ts'
import { RUN_TOKEN_VARIABLE, findRunProcesses, startTimeOf, stopRunProcesses, type RunProcess } from './contain.ts'
import type { Interpreter } from './interpreters.ts'
import { launch, stopSpawner, type Launched } from './spawner.ts'

export interface RunLimits {
  timeoutMs: number
  /** Bytes of output kept; more kills the snippet. */
  maxOutputBytes: number
  /** Time between SIGINT and SIGKILL after a timeout. */
  graceMs: number
}

export const DEFAULT_LIMITS: RunLimits = { timeoutMs: 10_000, maxOutputBytes: 1024 * 1024, graceMs: 1_000 }

export interface RunResult {
  /** Decoded output, not yet normalised. */
  output: string
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  truncated: boolean
  invalidUtf8: boolean
  /** Processes the snippet started that were still running after it ended (they were killed). */
  leftovers: RunProcess[]
  /** The run's token (in the snippet's environment; normalisation removes it from output). */
  token: string
  durationMs: number
  /** Stopped through `RunOptions.signal` (the output is partial). */
  cancelled: boolean
}

const pythonSiteDir = path.join(projectRoot, 'scripts', 'snippets', 'python')
/**
 * The launcher: the snippet gets one pipe (fd 4) as its stdout and stderr, and neither the status
 * pipe (fd 3) nor fd 4 under its own number; the shell reports how the snippet ended on fd 3, and
 * what it says itself (`Killed`) goes to its own stderr, nowhere (hence the subshell: dash writes
 * it to the stderr of the command, redirections included). A timeout signals the whole group: the trap (a
 * handler, not an ignore, so the snippet does not inherit it) keeps the shell alive to report. A
 * shell sees a death by signal N as status 128 + N.
 */
const LAUNCHER = 'trap : INT TERM HUP; (exec "$@" >&4 2>&4 3>&- 4>&-); echo $? >&3'

/** The environment every snippet gets: nothing of the caller's leaks in. */
export function snippetEnvironment(interpreter: Interpreter, options: { color?: boolean } = {}): Record<string, string> {
  const bin = path.dirname(interpreter.command[0] ?? '/usr/bin/env')
  const env: Record<string, string> = {
    // A command runner's PATH is whole already (toolchain.ts).
    PATH: interpreter.path ? interpreter.path.join(':') : [...new Set([bin, '/usr/local/bin', '/usr/bin', '/bin'])].join(':'),
    LC_ALL: 'C.UTF-8',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    TERM: options.color ? 'xterm-256color' : 'dumb',
    COLUMNS: '80',
    LINES: '24',
    ...(options.color ? { FORCE_COLOR: '1', CLICOLOR_FORCE: '1' } : { NO_COLOR: '1' }),
  }
  if (interpreter.runner === 'python') {
    Object.assign(env, {
      PYTHONPATH: pythonSiteDir,
      PYTHONHASHSEED: '0',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONNOUSERSITE: '1',
      PYTHONIOENCODING: 'utf-8',
      PYTHON_COLORS: options.color ? '1' : '0',
    })
  }
  if ((interpreter.runner === 'node' || interpreter.runner === 'node-ts') && !options.color) Object.assign(env, { FORCE_COLOR: '0', NODE_DISABLE_COLORS: '1' })
  if (interpreter.env) Object.assign(env, interpreter.env)
  return env
}

/** A run in progress, so that an interrupted build can stop it (see stopActiveRuns). */
interface ActiveRun {
  token: string
  pid: number | undefined
  /** The launcher's start time (contain.ts): what the run started is no older. */
  since: number | undefined
}
const active = new Set<ActiveRun>()

/** Stops every snippet still running, at once (for an interrupted build). Returns how many. */
export function stopActiveRuns(): number {
  // Nothing more starts; a run asked for but not yet known by its pid is found by its token.
  stopSpawner()
  let stopped = 0
  for (const run of active) {
    if (run.pid !== undefined) signalGroup(run.pid, 'SIGKILL')
    stopRunProcesses(run.token, run.pid, [], run.since)
    stopped++
  }
  active.clear()
  return stopped
}

export interface RunOptions {
  /** Let the snippet print colours (a colour terminal's environment). */
  color?: boolean
  /** Aborting stops the run and every process it started (a newer edit made it outdated). */
  signal?: AbortSignal
  /**
   * Each chunk of output as it is printed, in terminal order (the dev server's run on stage),
   * with the run's token (to keep it off the slide, as normalisation does).
   */
  onOutput?: (chunk: Buffer, token: string) => void
  /** Variables added to the pinned environment (the recording of what the run reads, reads.ts). */
  environment?: Record<string, string>
  /** The whole argv (a command runner's `sh -c ...`) instead of the interpreter and the file's name. */
  command?: string[]
  /** The working folder instead of the file's. */
  cwd?: string
}

export async function runSnippet(file: string, interpreter: Interpreter, limits: RunLimits = DEFAULT_LIMITS, options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now()
  const token = randomBytes(12).toString('hex')
  // `-x.py` would be read as options (`python3 -x.py`): such a name is passed as `./-x.py`.
  const name = path.basename(file).startsWith('-') ? `./${path.basename(file)}` : path.basename(file)
  const argv = options.command ?? [...interpreter.command, name]
  // Known to an interrupted build before it runs (by its token), and by its pid once it does.
  const run: ActiveRun = { token, pid: undefined, since: undefined }
  active.add(run)
  let child: Launched
  try {
    child = await launch('/bin/sh', ['-c', LAUNCHER, 'sh', ...argv], {
      cwd: options.cwd ?? path.dirname(file),
      env: { ...snippetEnvironment(interpreter, options), ...options.environment, [RUN_TOKEN_VARIABLE]: token },
    })
  } catch (error) {
    active.delete(run)
    throw error
  }
  const { pid } = child
  const since = startTimeOf(pid)
  Object.assign(run, { pid, since })
  const chunks: Buffer[] = []
  let size = 0
  let truncated = false
  let timedOut = false
  let cancelled = false
  let status = ''
  const stopEverything = () => {
    if (pid !== undefined) signalGroup(pid, 'SIGKILL')
    return stopRunProcesses(token, pid, [], since)
  }

  return new Promise((resolve, reject) => {
    const timers: NodeJS.Timeout[] = []
    const control = child.pipes[3]
    const stdout = child.pipes[4]

    stdout.on('data', (chunk: Buffer) => {
      if (truncated) return
      if (size + chunk.length > limits.maxOutputBytes) {
        chunks.push(chunk.subarray(0, limits.maxOutputBytes - size))
        size = limits.maxOutputBytes
        truncated = true
        stopEverything()
        return
      }
      chunks.push(chunk)
      size += chunk.length
      options.onOutput?.(chunk, token)
    })
    control.on('data', (chunk: Buffer) => (status += chunk.toString('utf8')))

    const cancel = () => {
      cancelled = true
      stopEverything()
    }
    if (options.signal?.aborted) cancel()
    else options.signal?.addEventListener('abort', cancel, { once: true })

    timers.push(
      setTimeout(() => {
        timedOut = true
        // asyncio turns SIGINT into a KeyboardInterrupt traceback that shows where it hung.
        if (pid !== undefined) signalGroup(pid, 'SIGINT')
        timers.push(setTimeout(stopEverything, limits.graceMs))
      }, limits.timeoutMs),
    )

    const finish = async () => {
      for (const timer of timers) clearTimeout(timer)
      options.signal?.removeEventListener('abort', cancel)
      const leftovers = await collectLeftovers(token, pid, since)
      active.delete(run)
      // What was left may have held the pipe open: it is closed now, or soon given up on.
      await closed(stdout, 200)
      const ended = parseStatus(status)
      const { text, invalid, cut } = decode(Buffer.concat(chunks), truncated)
      resolve({
        output: text,
        exitCode: ended.code,
        signal: ended.signal,
        timedOut,
        truncated: truncated || cut,
        invalidUtf8: invalid,
        leftovers,
        token,
        durationMs: performance.now() - started,
        cancelled,
      })
    }

    child.exited.then(
      // The status line may still be in its pipe.
      () => closed(control, 200).then(finish, reject),
      (error: Error) => {
        active.delete(run)
        reject(error)
      },
    )
  })
}

/**
 * The run's processes still alive once the snippet has ended. A helper on its way out (tsx's
 * esbuild service exits when its parent has) gets a moment to go before it counts as left behind.
 */
async function collectLeftovers(token: string, pid: number | undefined, since: number | undefined): Promise<RunProcess[]> {
  let remaining = findRunProcesses(token, pid, since)
  for (let waited = 0; remaining.length > 0 && waited < 500; waited += 25) {
    await new Promise((resolve) => setTimeout(resolve, 25))
    remaining = findRunProcesses(token, pid, since)
  }
  if (pid !== undefined) signalGroup(pid, 'SIGKILL')
  if (remaining.length === 0) return []
  const stopped = stopRunProcesses(token, pid, [], since)
  const seen = new Set(remaining.map((entry) => entry.pid))
  return [...remaining, ...stopped.filter((entry) => !seen.has(entry.pid))]
}

function closed(stream: NodeJS.ReadableStream, patienceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const readable = stream as NodeJS.ReadableStream & { closed?: boolean; destroy?: () => void }
    if (readable.closed) return resolve()
    const timer = setTimeout(() => {
      readable.destroy?.()
      resolve()
    }, patienceMs)
    stream.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

const SIGNAL_NAMES = new Map(Object.entries(os.constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]))

/**
 * The launcher's status line. 128 + N is read as death by signal N (what a shell reports; a
 * snippet that calls exit(130) itself is indistinguishable), 127 as a missing interpreter.
 */
function parseStatus(text: string): { code: number | null; signal: NodeJS.Signals | null } {
  const status = /^(\d+)\n?$/.exec(text.trim())?.[1]
  // No line: the launcher itself was killed (the output cap, a timeout's SIGKILL).
  if (status === undefined) return { code: null, signal: 'SIGKILL' }
  const code = Number(status)
  const signal = code > 128 ? SIGNAL_NAMES.get(code - 128) : undefined
  return signal ? { code: null, signal } : { code, signal: null }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // the group is gone
  }
}

/**
 * Decodes the whole output at once (chunk-wise decoding breaks multi-byte characters). When the
 * output was cut at the cap, a partial character at the end is dropped, not flagged.
 */
export function decode(buffer: Buffer, wasCut: boolean): { text: string; invalid: boolean; cut: boolean } {
  let end = buffer.length
  if (wasCut) {
    // Step back over continuation bytes to the start of the last character and check it is whole.
    let start = end - 1
    while (start > 0 && start > end - 4 && ((buffer[start] ?? 0) & 0xc0) === 0x80) start--
    const lead = buffer[start] ?? 0
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
    if (start + length > end) end = start
  }
  const bytes = buffer.subarray(0, end)
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), invalid: false, cut: wasCut }
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), invalid: true, cut: wasCut }
  }
}
