/**
 * Starts snippet runs from a small process of their own (spawner.mjs) instead of from the build:
 * Node forks to spawn, and a fork copies the page tables of the process that forks, so a start
 * from a build or a dev server holding 0.5-1.5 GB costs 25-70 ms of blocked event loop, and ~3 ms
 * from the spawner. Started on the first run, it does not keep the build alive while no run is
 * under way, and ends with it. A run's pipes (fds 3 and 4) come back as streams of this process.
 */
import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { projectRoot } from '../core/paths.ts'

/** A process started by the spawner: its pid, its pipes, and its end. */
export interface Launched {
  pid: number
  /** fd 3 and fd 4 of the process, each a stream that ends when its pipe closes. */
  pipes: { 3: PassThrough; 4: PassThrough }
  /**
   * Resolves when the process has exited and its pipes have closed (or half a second after its
   * exit, if a process it left holds them); rejects if the spawner is lost.
   */
  exited: Promise<void>
}

interface Pending {
  pipes: Launched['pipes']
  /** What is still to come: the exit and each pipe's end (a pipe may close after the exit). */
  awaited: number
  started: (pid: number) => void
  exited: () => void
  failed: (error: Error) => void
}

type Reply = { id: number } & ({ pid: number | undefined } | { fd: 3 | 4; data: Uint8Array } | { fd: 3 | 4; closed: true } | { exited: true } | { error: { message: string; code?: string } })

const spawnerFile = path.join(projectRoot, 'scripts', 'snippets', 'spawner.mjs')
let spawner: ChildProcess | undefined
const running = new Map<number, Pending>()
let next = 1

function started(): ChildProcess {
  if (spawner?.connected) return spawner
  // The build's environment and stderr, as a process of the build: what it says reaches the
  // terminal, and the build's stderr is closed only once both have ended (each run gets an
  // environment of its own).
  const child = fork(spawnerFile, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' })
  // Only its channel, while a run is under way, keeps the build alive (launch, settle).
  child.unref()
  child.on('message', (reply: Reply) => deliver(reply))
  const lost = (error: Error) => {
    if (spawner === child) spawner = undefined
    for (const pending of running.values()) pending.failed(error)
    running.clear()
  }
  child.on('error', lost)
  child.on('exit', (code, signal) => lost(new Error(`the snippet spawner ended (${signal ?? `exit status ${code}`})`)))
  spawner = child
  return child
}

function deliver(reply: Reply): void {
  const pending = running.get(reply.id)
  if (!pending) return
  if ('pid' in reply) {
    if (reply.pid !== undefined) pending.started(reply.pid)
  } else if ('data' in reply) pending.pipes[reply.fd].write(Buffer.from(reply.data))
  else if ('closed' in reply) {
    pending.pipes[reply.fd].end()
    if (--pending.awaited === 0) settle(reply.id)
  } else if ('exited' in reply) {
    pending.exited()
    if (--pending.awaited === 0) settle(reply.id)
  } else {
    pending.failed(Object.assign(new Error(reply.error.message), { code: reply.error.code }))
    settle(reply.id)
  }
}

function settle(id: number): void {
  running.delete(id)
  // The channel keeps the build alive while a run is under way, no longer.
  if (running.size === 0) spawner?.channel?.unref()
}

/**
 * Starts `file args` in `cwd` with exactly `env`, fds 3 and 4 piped, in a process group and
 * session of its own. Resolves once it runs (its pid known), rejects if it could not start.
 */
export function launch(file: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<Launched> {
  const id = next++
  const pipes = { 3: new PassThrough(), 4: new PassThrough() }
  return new Promise((resolve, reject) => {
    let ended!: { resolve: () => void; reject: (error: Error) => void }
    const exited = new Promise<void>((resolveExit, rejectExit) => (ended = { resolve: resolveExit, reject: rejectExit }))
    // A run that never started has nobody awaiting its end: no unhandled rejection.
    exited.catch(() => undefined)
    let pid: number | undefined
    running.set(id, {
      pipes,
      awaited: 3,
      started: (started) => {
        pid = started
        resolve({ pid: started, pipes, exited })
      },
      exited: () => ended.resolve(),
      failed: (error) => (pid === undefined ? reject(error) : ended.reject(error)),
    })
    const child = started()
    child.channel?.ref()
    child.send({ id, file, args, cwd: options.cwd, env: options.env })
    // A pipe given up on (a leftover process still holds it) is closed in the spawner too.
    for (const fd of [3, 4] as const) pipes[fd].once('close', () => spawner?.connected && spawner.send({ id, destroy: fd }))
  })
}

/** Ends the spawner at once (an interrupted build): nothing more starts. */
export function stopSpawner(): void {
  spawner?.kill('SIGKILL')
}
