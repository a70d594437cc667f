/**
 * Stored or fresh: for each output a deck asks for, reuse the committed output when its key
 * matches, run the snippet otherwise (in parallel, bounded by the number of cores), or refuse
 * when frozen. Nothing is written here: new outputs come back as pending writes, which the
 * pipeline commits only when the whole build succeeds.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { localDependencies } from './dependencies.ts'
import { resolveInterpreter, type Interpreter } from './interpreters.ts'
import { languageOf } from './languages.ts'
import { normalizeOutput } from './normalize.ts'
import { DEFAULT_LIMITS, runSnippet, type RunResult } from './run.ts'
import { freshnessKey, readStored, storePath, type StoredOutput } from './store.ts'

/** reuse: run only what is stale; frozen: stale is an error (CI); rerun: run everything. */
export type OutputMode = 'reuse' | 'frozen' | 'rerun'

export interface OutputRequest {
  kind: 'run' | 'lint'
  /** The snippet, relative to the snippets folder, with `/`. */
  snippet: string
  timeoutMs: number
  /** Lint rule selectors. */
  select: string[]
}

export interface OutputOutcome {
  request: OutputRequest
  /** The files the output depends on: the snippet and what it imports (absolute paths). */
  sources: string[]
  stored: StoredOutput
  storeFile: string
  /** true when the snippet ran in this build (false: reused). */
  ran: boolean
  run?: RunResult
  /** Set when the output could not be had (stale while frozen, no interpreter, ...). */
  failure?: string
}

export interface OutputContext {
  snippetsDir: string
  projectDir: string
  mode: OutputMode
  /** Aborted when the result is no longer wanted (the dev server saw a newer edit): runs stop. */
  signal?: AbortSignal
}

export function requestId(request: OutputRequest): string {
  return request.kind === 'run'
    ? `run:${request.snippet}:${request.timeoutMs}`
    : `lint:${request.snippet}:${request.select.join(',')}`
}

function variantOf(request: OutputRequest): string {
  if (request.kind === 'lint') return `.lint-${request.select.join('_').replace(/[^\w-]/g, '') || 'default'}.txt`
  return request.timeoutMs === DEFAULT_LIMITS.timeoutMs ? '.out' : `.t${request.timeoutMs / 1000}.out`
}

export async function obtainOutputs(requests: OutputRequest[], context: OutputContext): Promise<Map<string, OutputOutcome>> {
  const unique = new Map(requests.map((request) => [requestId(request), request]))
  const outcomes = new Map<string, OutputOutcome>()
  const toRun: Array<() => Promise<void>> = []

  for (const [id, request] of unique) {
    const absolute = path.join(context.snippetsDir, request.snippet)
    const storeFile = storePath(context.snippetsDir, request.snippet, variantOf(request))
    const stored = readStored(storeFile)
    const sources = [absolute, ...(request.kind === 'run' ? localDependencies(absolute) : [])]
    const producer = producerFor(request, stored)
    const key = producer === undefined ? undefined : keyFor(request, sources, context.snippetsDir, producer)
    const fresh = stored !== undefined && key !== undefined && stored.key === key
    if (fresh && context.mode !== 'rerun') {
      outcomes.set(id, { request, sources, stored, storeFile, ran: false })
      continue
    }
    if (context.mode === 'frozen') {
      const why = stored ? 'is stale (the snippet, a file it imports, the interpreter or the options changed)' : 'is missing'
      outcomes.set(id, { request, sources, stored: placeholder(request), storeFile, ran: false, failure: `The stored output of \`snippets/${request.snippet}\` ${why}: run \`npm run update\` and commit the result` })
      continue
    }
    toRun.push(async () => {
      context.signal?.throwIfAborted()
      outcomes.set(id, await produce({ request, sources, storeFile, key: key ?? '' }, context))
    })
  }
  await runBounded(toRun, Math.max(1, os.availableParallelism()))
  return outcomes
}

function producerFor(request: OutputRequest, stored: StoredOutput | undefined): string | undefined {
  if (request.kind === 'lint') return lintProducer()
  const runner = languageOf(request.snippet)?.runner
  const interpreter = runner ? resolveInterpreter(runner) : undefined
  // Without the interpreter on this machine, trust the one that made the stored output:
  // a deck whose outputs are fresh builds without Python.
  return interpreter?.version ?? stored?.producer
}

let lintProducerName: string | undefined
function lintProducer(): string {
  // Loading ruff costs ~100 ms: its version is taken from its package file instead.
  if (lintProducerName === undefined) {
    const manifest = createRequire(import.meta.url).resolve('@astral-sh/ruff-wasm-nodejs/package.json')
    lintProducerName = `ruff ${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}`
  }
  return lintProducerName
}

/**
 * The interpreter as the key sees it: its language version (`CPython 3.11`), not the patch
 * release, so that a CI runner's 3.11.x matches a laptop's; `npm run verify` compares the content
 * itself whatever the version. The stored file keeps the full version.
 */
export function producerLine(producer: string): string {
  return producer.replace(/^(\S+ \d+\.\d+)\.\d+\S*$/, '$1')
}

function keyFor(request: OutputRequest, sources: string[], snippetsDir: string, producer: string): string | undefined {
  let files: Array<[string, string]>
  try {
    files = sources.map((file) => [path.relative(snippetsDir, file), readFileSync(file, 'utf8')])
  } catch {
    return undefined
  }
  const options = request.kind === 'run' ? { timeoutMs: request.timeoutMs } : { select: request.select }
  return freshnessKey({ files, producer: producerLine(producer), options })
}

interface Job {
  request: OutputRequest
  sources: string[]
  storeFile: string
  /** The freshness key computed before the run, from the same sources and producer. */
  key: string
}

async function produce(job: Job, context: OutputContext): Promise<OutputOutcome> {
  const { request, sources, storeFile, key } = job
  const absolute = sources[0] ?? path.join(context.snippetsDir, request.snippet)
  if (request.kind === 'lint') {
    const { lintSource, LintSelectError } = await import('./lint.ts')
    let output: string
    try {
      output = await lintSource(readFileSync(absolute, 'utf8'), `snippets/${request.snippet}`, request.select)
    } catch (error) {
      // A selector ruff rejects is the block's mistake: reported at the block.
      if (error instanceof LintSelectError) return { request, sources, stored: placeholder(request), storeFile, ran: false, failure: error.message }
      throw error
    }
    return { request, sources, stored: { snippet: request.snippet, producer: lintProducer(), exit: '-', key, output }, storeFile, ran: true }
  }
  const runner = languageOf(request.snippet)?.runner
  const interpreter: Interpreter | undefined = runner ? resolveInterpreter(runner) : undefined
  if (!interpreter) {
    return {
      request,
      sources,
      stored: placeholder(request),
      storeFile,
      ran: false,
      failure: `Cannot run \`snippets/${request.snippet}\`: no ${runner === 'python' ? '`python3`' : 'interpreter'} on PATH, and its stored output is missing or stale`,
    }
  }
  const run = await runSnippet(absolute, interpreter, { ...DEFAULT_LIMITS, timeoutMs: request.timeoutMs }, context.signal ? { signal: context.signal } : {})
  context.signal?.throwIfAborted()
  const output = normalizeOutput(run.output, { snippetsDir: context.snippetsDir, projectDir: context.projectDir, replacements: interpreter.replacements })
  const exit = run.signal ?? String(run.exitCode ?? '?')
  return { request, sources, stored: { snippet: request.snippet, producer: interpreter.version, exit, key, output }, storeFile, ran: true, run }
}

function placeholder(request: OutputRequest): StoredOutput {
  return { snippet: request.snippet, producer: '', exit: '?', key: '', output: '' }
}

async function runBounded(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]
      if (task) await task()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
}
