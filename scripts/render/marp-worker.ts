/**
 * The thread that runs marp-cli (started by render/marp.ts). marp-cli prints its progress and
 * errors with the console and has no option to keep quiet: in a thread of its own that console is
 * this thread's alone, so what it prints is collected here and sent back with each render, and
 * no one else's lines are touched. It writes the HTML to its standard output (`-o -`), which is
 * collected too: the thread writes no file, so an interrupted build's cleanup (on the main
 * thread) cannot race a write of it. The thread also loads Marp (the heaviest modules) while the
 * main thread parses the deck.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { marpCli } from '@marp-team/marp-cli'
import { prepareHighlighting, type CodeBlock } from './highlight.ts'

/** What the thread does: highlight the deck's code, or run marp-cli with these arguments. */
export type MarpRequest = { type: 'highlight'; blocks: CodeBlock[] } | { type: 'render'; args: string[] }
export type MarpJob = MarpRequest & { id: number }
export interface MarpJobDone {
  id: number
  /** marp-cli's exit code (renders). */
  code?: number
  /** What marp-cli wrote to its standard output: the HTML, with `-o -` (renders). */
  output?: string
  /** What marp-cli printed during the job. */
  log: string[]
  /** The job threw: its stack. */
  error?: string
}

let log: string[] = []
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[method] = (...parts: unknown[]) => void log.push(parts.map(String).join(' '))
}
let output: Buffer[] = []
/** A stream's write that collects into `into()` (the HTML on stdout, anything else on stderr). */
const collect = (into: (chunk: Buffer) => void) =>
  ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    into(Buffer.from(chunk))
    const done = rest.find((arg): arg is () => void => typeof arg === 'function')
    if (done) process.nextTick(done)
    return true
  }) as typeof process.stdout.write
process.stdout.write = collect((chunk) => output.push(chunk))
process.stderr.write = collect((chunk) => log.push(chunk.toString('utf8')))

const port = parentPort!
// The engine marp-cli imports at each render (`--engine`), loaded now: imports are cached.
await import(pathToFileURL((workerData as { engine: string }).engine).href)
port.postMessage({ id: 0, log: [] } satisfies MarpJobDone)

// One job at a time: each job's log is its own.
let queue = Promise.resolve()
port.on('message', (job: MarpJob) => {
  queue = queue.then(async () => {
    log = []
    output = []
    try {
      if (job.type === 'highlight') {
        await prepareHighlighting(job.blocks)
        port.postMessage({ id: job.id, log } satisfies MarpJobDone)
      } else {
        const code = await marpCli(job.args)
        port.postMessage({ id: job.id, code, log, output: Buffer.concat(output).toString('utf8') } satisfies MarpJobDone)
      }
    } catch (error) {
      port.postMessage({ id: job.id, log, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies MarpJobDone)
    }
  })
})
