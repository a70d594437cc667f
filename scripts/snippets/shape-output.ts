/**
 * What an output block shows of a snippet's (normalised) output: tracebacks shaped, then
 * `replace="REGEX=>TEXT"`, `lines="1-4"`, and `max-lines=N` (cut with an explicit marker).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { cacheKey, readCache, writeCache } from '../core/cache.ts'
import { pickLines } from './resolve.ts'
import { shapeDiagnostics, shapeTracebacks, type TracebackMode } from './traceback.ts'

export interface OutputShape {
  traceback: TracebackMode
  marker: string
  replace?: string
  lines?: string
  maxLines?: number
  /** A build's output (`phase=build`): the runner's diagnostic patterns, for `traceback=short`. */
  diagnostics?: { start: string; error: string }
}

export class OutputShapeError extends Error {
  override name = 'OutputShapeError'
}

/** `warn`: told what the slide may not show as meant (a `replace` that changed nothing). */
export function shapeOutput(output: string, shape: OutputShape, warn?: (message: string) => void): string {
  let text = output.endsWith('\n') ? output.slice(0, -1) : output
  text = shape.diagnostics ? shapeDiagnostics(text, shape.traceback, shape.marker, shape.diagnostics) : shapeTracebacks(text, shape.traceback, shape.marker)
  if (shape.replace !== undefined) {
    const [pattern, replacement] = splitReplace(shape.replace)
    const replaced = replaceWithBudget(text, pattern, replacement, REPLACE_BUDGET_MS)
    // What it was to hide or change shows as printed: said (not an error: the output may vary).
    if (replaced === text) {
      warn?.(
        `The pattern in \`replace\` (\`${pattern.source}\`) changed nothing in the output: does it match there? ` +
          'In a quoted value a backslash before punctuation escapes it, as in pandoc (`\\.` is `.`; write `\\\\.` or `[.]` for a literal dot), and stays before a letter (`\\d`)',
      )
    }
    text = replaced
  }
  let lines = text.split('\n')
  if (shape.lines !== undefined) lines = pickLines(lines, shape.lines, 'the output')
  if (shape.maxLines !== undefined && lines.length > shape.maxLines) {
    const hidden = lines.length - shape.maxLines
    lines = [...lines.slice(0, shape.maxLines), `${shape.marker} (${hidden} more line${hidden === 1 ? '' : 's'})`]
  }
  return lines.join('\n')
}

function splitReplace(spec: string): [RegExp, string] {
  const at = spec.indexOf('=>')
  if (at < 0) throw new OutputShapeError(`Expected \`replace\` as \`REGEX=>TEXT\`, not \`${spec}\``)
  try {
    return [new RegExp(spec.slice(0, at), 'gm'), spec.slice(at + 2)]
  } catch (error) {
    throw new OutputShapeError(`Bad regular expression in \`replace\`: ${(error as Error).message}`)
  }
}

/** How long a `replace` pattern may run on one output (a pattern that backtracks without end). */
export const REPLACE_BUDGET_MS = 2000

// Runs in a worker thread, kept for the next pattern: each job's replacement, announced on the
// signal the waiting thread wakes on (1: started, 2: done).
const REPLACE_WORKER = `
const { workerData } = require('node:worker_threads')
const { port, signal } = workerData
port.on('message', ({ text, source, flags, replacement }) => {
  Atomics.store(signal, 0, 1)
  Atomics.notify(signal, 0)
  let result
  try { result = { text: text.replace(new RegExp(source, flags), replacement) } } catch (error) { result = { error: String(error && error.message || error) } }
  port.postMessage(result)
  Atomics.store(signal, 0, 2)
  Atomics.notify(signal, 0)
})
`

/** The worker of the patterns: started by the first, reused by the next (a few ms instead of a start each). */
let replacer: { worker: Worker; port: MessagePort; signal: Int32Array } | undefined

function startReplacer(): NonNullable<typeof replacer> {
  const signal = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  const worker = new Worker(REPLACE_WORKER, { eval: true, workerData: { port: port2, signal }, transferList: [port2] })
  // It never keeps the process alive: a build or a test ends with it waiting.
  worker.unref()
  return { worker, port: port1, signal }
}

/**
 * `text.replace(pattern, replacement)` with a time budget: the user's pattern runs in a worker
 * thread, which is stopped when it takes longer than `budgetMs` (`^(a+)+$` on 40 a's and a b runs
 * for hours), so neither a build nor the dev server hangs on it. Synchronous: the caller waits
 * (Atomics.wait) at most the budget once the worker has started the pattern.
 */
export function replaceWithBudget(text: string, pattern: RegExp, replacement: string, budgetMs: number): string {
  // The same replacement of the same output (a stored output, built again) is remembered: no
  // worker to start (50-70 ms of this thread at each build).
  const key = cacheKey('replace', text, pattern.source, pattern.flags, replacement)
  const remembered = readCache<string>('replace', key)
  if (typeof remembered === 'string') return remembered
  const replaced = replaceInWorker(text, pattern, replacement, budgetMs)
  writeCache('replace', key, replaced)
  return replaced
}

function replaceInWorker(text: string, pattern: RegExp, replacement: string, budgetMs: number): string {
  replacer ??= startReplacer()
  const { worker, port, signal } = replacer
  Atomics.store(signal, 0, 0)
  port.postMessage({ text, source: pattern.source, flags: pattern.flags, replacement })
  // The worker's start-up (tens of ms, longer on a busy machine) is not the pattern's time.
  Atomics.wait(signal, 0, 0, 60_000)
  if (Atomics.wait(signal, 0, 1, budgetMs) === 'timed-out' && Atomics.load(signal, 0) !== 2) {
    replacer = undefined
    port.close()
    void worker.terminate()
    throw new OutputShapeError(
      `The pattern in \`replace\` (\`${pattern.source}\`) ran longer than ${budgetMs / 1000} s on the output and was stopped: it backtracks without end (nested repetition such as \`(a+)+\`?); simplify it`,
    )
  }
  const received = receiveMessageOnPort(port)?.message as { text?: string; error?: string } | undefined
  if (received?.text === undefined) {
    replacer = undefined
    port.close()
    void worker.terminate()
    throw new OutputShapeError(`The pattern in \`replace\` failed: ${received?.error ?? 'its worker stopped'}`)
  }
  return received.text
}
