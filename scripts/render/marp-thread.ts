/**
 * Marp's thread (marp-worker.ts): started once, kept (the dev server renders again and again),
 * ended by releaseRenderer(). Apart from render/marp.ts, which sends it its jobs, so that a build
 * can start it before the rest of the toolchain has loaded: this module needs Node's own only.
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { MarpJob, MarpJobDone, MarpRequest } from './marp-worker.ts'

// The thread's module and the engine marp-cli imports: the bundled .mjs files that scripts/launch.mjs
// writes next to this code, or the TypeScript sources under tsx.
const here = fileURLToPath(import.meta.url)
const extension = here.endsWith('.ts') ? '.ts' : '.mjs'
export const engineModule = path.join(path.dirname(here), `engine${extension}`)
const workerModule = path.join(path.dirname(here), `marp-worker${extension}`)

export class RenderError extends Error {
  override name = 'RenderError'
}

interface MarpThread {
  ready: Promise<void>
  run: (request: MarpRequest) => Promise<MarpJobDone>
  stop: () => Promise<void>
}
let thread: MarpThread | undefined

/** The thread, started on first use and kept (the dev server renders again and again). */
export function marpThread(): MarpThread {
  if (thread) return thread
  // (Its standard streams stay the process's: the thread collects what would go there itself, and
  // a stream of its own would keep the process alive.)
  const early = adoptEarlyThread()
  const worker = early?.worker ?? (extension === '.ts' ? typescriptWorker() : new Worker(workerModule, { workerData: { engine: engineModule } }))
  const pending = new Map<number, { resolve: (done: MarpJobDone) => void; reject: (error: Error) => void }>()
  let ready!: { resolve: () => void; reject: (error: Error) => void }
  let next = 1
  // The thread keeps the process alive while it starts and while a job is under way, no longer.
  const idle = () => pending.size === 0 && worker.unref()
  worker.on('message', (done: MarpJobDone) => {
    if (done.id === 0) return (ready.resolve(), idle())
    pending.get(done.id)?.resolve(done)
    pending.delete(done.id)
    idle()
  })
  const fail = (error: Error) => {
    if (thread === self) thread = undefined
    ready.reject(error)
    for (const job of pending.values()) job.reject(error)
    pending.clear()
  }
  worker.on('error', fail)
  worker.on('exit', (code) => fail(new RenderError(`Marp's thread stopped (exit ${code})`)))
  const self: MarpThread = {
    ready: new Promise<void>((resolve, reject) => (ready = { resolve, reject })),
    run: (request) =>
      new Promise<MarpJobDone>((resolve, reject) => {
        const id = next++
        pending.set(id, { resolve, reject })
        worker.ref()
        worker.postMessage({ ...request, id } satisfies MarpJob)
      }),
    stop: async () => void (await worker.terminate()),
  }
  thread = self
  self.ready.catch(() => undefined)
  if (early) {
    // Its first event came (or comes) to the starter's listeners: ready, or how it failed.
    worker.ref()
    early.first.then(() => (ready.resolve(), idle()), (error: unknown) => fail(error instanceof Error ? error : new RenderError(String(error))))
  }
  return self
}

/** What scripts/launch.mjs hands over: the thread it started before the toolchain loaded. */
const EARLY_MARP_THREAD = Symbol.for('deck.early-marp-thread')
interface EarlyThread {
  worker: Worker
  /** The thread's first event: its ready message, or its error or exit. */
  first: Promise<unknown>
}

/** The thread scripts/launch.mjs started, taken once (a later thread is this module's own). */
function adoptEarlyThread(): EarlyThread | undefined {
  const holder = globalThis as { [EARLY_MARP_THREAD]?: EarlyThread }
  const early = holder[EARLY_MARP_THREAD]
  delete holder[EARLY_MARP_THREAD]
  return early
}

/**
 * Run from the sources (`npx tsx scripts/cli/deck.ts`): the thread registers tsx's loader itself
 * (tsx's public `tsx/esm/api`), as a thread does not inherit the process's `--import`.
 */
function typescriptWorker(): Worker {
  const start = `import(${JSON.stringify('tsx/esm/api')}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(workerModule).href)}) })`
  return new Worker(start, { eval: true, workerData: { engine: engineModule } })
}

/**
 * Ends Marp's thread once a build has rendered all it needs (a command line's build, not the dev
 * server): its heap (Marp's tokens of every slide) is freed before the browser lays out and prints,
 * the build's largest moment. A later render starts a new thread.
 */
export async function releaseRenderer(): Promise<void> {
  const current = thread
  thread = undefined
  if (current) await current.stop()
}

/** Ends the thread scripts/launch.mjs started where no render took it (every deck was up to date). */
export async function releaseEarlyThread(): Promise<void> {
  await adoptEarlyThread()?.worker.terminate()
}

/** Starts Marp's thread, which loads Marp Core (the heaviest module) beside the caller's work. */
export async function preloadRenderer(): Promise<void> {
  await marpThread().ready
}
