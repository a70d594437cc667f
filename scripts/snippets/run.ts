/**
 * Runs one snippet file the way a terminal would show it: stdout and stderr on one pipe, a
 * minimal pinned environment, no stdin, cwd = the snippet's folder, in its own process group.
 * Limits: a timeout (SIGINT to the group, then SIGKILL), an output cap with a clean UTF-8 cut,
 * leftover children killed and reported, invalid UTF-8 and signal deaths flagged.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../paths.ts'
import type { Interpreter } from './interpreters.ts'

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
  /** Processes of the group still alive after the snippet exited (they were killed). */
  leftoverChildren: boolean
  durationMs: number
  /** Stopped through `RunHooks.signal` (the result is partial). */
  cancelled: boolean
}

/** For callers that watch a run (the dev server's run on stage) or give it up (a newer edit). */
export interface RunHooks {
  /** Aborting kills the snippet's whole process group. */
  signal?: AbortSignal
  /** Each chunk of output as it is printed (stdout and stderr in terminal order). */
  onOutput?: (chunk: Buffer) => void
}

const pythonSiteDir = path.join(projectRoot, 'scripts', 'snippets', 'python')

/** The environment every snippet gets: nothing of the caller's leaks in. */
export function snippetEnvironment(interpreter: Interpreter): Record<string, string> {
  const bin = path.dirname(interpreter.command[0] ?? '/usr/bin/env')
  const env: Record<string, string> = {
    PATH: [bin, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    LC_ALL: 'C.UTF-8',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    TERM: 'dumb',
    NO_COLOR: '1',
    COLUMNS: '80',
    LINES: '24',
  }
  if (interpreter.runner === 'python') {
    Object.assign(env, {
      PYTHONPATH: pythonSiteDir,
      PYTHONHASHSEED: '0',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONNOUSERSITE: '1',
      PYTHONIOENCODING: 'utf-8',
      PYTHON_COLORS: '0',
    })
  }
  if (interpreter.runner === 'node' || interpreter.runner === 'node-ts') Object.assign(env, { FORCE_COLOR: '0', NODE_DISABLE_COLORS: '1' })
  return env
}

export function runSnippet(file: string, interpreter: Interpreter, limits: RunLimits = DEFAULT_LIMITS, hooks: RunHooks = {}): Promise<RunResult> {
  const started = performance.now()
  const [command, ...args] = interpreter.command
  // One pipe for both streams: `2>&1` in a shell that then becomes the snippet (exec).
  const child = spawn('/bin/sh', ['-c', 'exec "$@" 2>&1', 'sh', command ?? 'false', ...args, path.basename(file)], {
    cwd: path.dirname(file),
    env: snippetEnvironment(interpreter),
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  })
  const pid = child.pid
  const chunks: Buffer[] = []
  let size = 0
  let truncated = false
  let timedOut = false
  let cancelled = false
  const killGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return
    try {
      process.kill(-pid, signal)
    } catch {
      // the group is gone
    }
  }

  return new Promise((resolve, reject) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined
    let settled = false
    const timers: NodeJS.Timeout[] = []

    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return
      if (size + chunk.length > limits.maxOutputBytes) {
        chunks.push(chunk.subarray(0, limits.maxOutputBytes - size))
        size = limits.maxOutputBytes
        truncated = true
        killGroup('SIGKILL')
        return
      }
      chunks.push(chunk)
      size += chunk.length
      hooks.onOutput?.(chunk)
    })

    const cancel = () => {
      cancelled = true
      killGroup('SIGKILL')
    }
    if (hooks.signal?.aborted) cancel()
    else hooks.signal?.addEventListener('abort', cancel, { once: true })

    timers.push(
      setTimeout(() => {
        timedOut = true
        // asyncio turns SIGINT into a KeyboardInterrupt traceback that shows where it hung.
        killGroup('SIGINT')
        timers.push(setTimeout(() => killGroup('SIGKILL'), limits.graceMs))
      }, limits.timeoutMs),
    )

    const finish = () => {
      if (settled || !exit) return
      settled = true
      for (const timer of timers) clearTimeout(timer)
      hooks.signal?.removeEventListener('abort', cancel)
      const leftoverChildren = groupAlive(pid)
      if (leftoverChildren) killGroup('SIGKILL')
      const { text, invalid, cut } = decode(Buffer.concat(chunks), truncated)
      resolve({
        output: text,
        exitCode: exit.code,
        signal: exit.signal,
        timedOut,
        truncated: truncated || cut,
        invalidUtf8: invalid,
        leftoverChildren,
        durationMs: performance.now() - started,
        cancelled,
      })
    }

    child.on('error', reject)
    let closed = false
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      if (closed) return finish()
      // A child that left the group (setsid) may hold the pipe open: stop waiting for it soon.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy()
          finish()
        }, 200),
      )
    })
    child.stdout.on('close', () => {
      closed = true
      finish()
    })
  })
}

function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
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
