/**
 * Stored or fresh: for each output a deck asks for, reuse the committed output when its key
 * matches, run the snippet otherwise (in parallel, bounded by the number of cores), or refuse
 * when frozen, saying what changed. Nothing is written here: new outputs come back as pending
 * writes, which the pipeline commits only when the whole build succeeds.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { localDependencies } from './dependencies.ts'
import { resolveInterpreter, shebangOf, type Interpreter } from './interpreters.ts'
import { rewriteOutput, runWithToolchain, runnerHash } from './command-run.ts'
import { runnerSources } from './runner-sources.ts'
import { DEFAULT_RUNNERS, rootOf, type RunnerSet, type RunnerSpec } from './runners.ts'
import { describeSearch, isMissing, resolveToolchain } from './toolchain.ts'
import { normalizeOutput } from './normalize.ts'
import { changedFiles, snapshotProject } from './project-writes.ts'
import { forgetIgnored, inputsToCheck, readsOfRun, recordReads, scopeOf, stampReads, waitsForBatch, type OpenedFiles, type ReadScope, type RunInputs } from './reads.ts'
import { DEFAULT_LIMITS, runSnippet, type RunResult } from './run.ts'
import { keepPending, readPending } from './pending.ts'
import { CorruptStoredOutput, freshnessKey, readStoredStrict, sourceStamp, storePath, type StoredOutput } from './store.ts'

/** reuse: run only what is stale; frozen: stale is an error (CI); rerun: run everything. */
export type OutputMode = 'reuse' | 'frozen' | 'rerun'

export interface OutputRequest {
  kind: 'run' | 'lint'
  /** The snippet, relative to the snippets folder, with `/`. */
  snippet: string
  timeoutMs: number
  /** Lint rule selectors. */
  select: string[]
  /** Keep the snippet's colours (it runs with a colour terminal's environment). */
  color?: boolean
  /** The runner the block names (`runner=javac`); else the file's (runners.ts). */
  runner?: string
  /** `build`: the output is the build step's (a compiler's diagnostics), not the program's. */
  phase?: 'build'
}

export interface OutputOutcome {
  request: OutputRequest
  /**
   * What the output depends on: the snippet, what it imports and the project files the run read
   * (absolute paths; a file it tried to open may be missing; for a snippet whose folder stands for
   * its inputs, that folder too).
   */
  sources: string[]
  stored: StoredOutput
  storeFile: string
  /** true when the snippet ran in this build (false: reused). */
  ran: boolean
  run?: RunResult
  /** Set when the output could not be had (stale while frozen, no interpreter, ...). */
  failure?: string
  /** The message's rule for `failure` (default `snippet-run`): `snippet-stale`, `snippet-build`, ... */
  failureRule?: string
  /** Files of the project outside the snippet's folder that changed while it ran. */
  projectWrites?: string[]
  /** Something worth a warning that did not stop the output (a corrupt stored file replaced). */
  notice?: string
  /** A compiled snippet's build before its run: cached, or how long it took. */
  build?: { cached: boolean; durationMs: number }
  /** Not run: the output of an earlier build that failed after running it (pending.ts), to store now. */
  pending?: boolean
}

export interface OutputContext {
  snippetsDir: string
  projectDir: string
  mode: OutputMode
  /** Aborted when the result is no longer wanted (the dev server saw a newer edit): runs stop. */
  signal?: AbortSignal
  /** The deck's runners (deck.config.yaml); the presets without one. */
  runners?: RunnerSet
}

export function requestId(request: OutputRequest): string {
  return request.kind === 'run'
    ? `run:${request.snippet}:${request.timeoutMs}${request.color ? ':color' : ''}${request.runner ? `:runner=${request.runner}` : ''}${request.phase ? `:${request.phase}` : ''}`
    : `lint:${request.snippet}:${request.select.join(',')}`
}

/** The stored file's suffix: what the block asks for beyond the runner's defaults. */
function variantOf(request: OutputRequest, runner: RunnerSpec | undefined): string {
  if (request.kind === 'lint') return `.lint-${request.select.join('_').replace(/[^\w-]/g, '') || 'default'}.txt`
  const timeout = request.timeoutMs === (runner ? runner.timeout * 1000 : DEFAULT_LIMITS.timeoutMs) ? '' : `.t${request.timeoutMs / 1000}`
  return `${request.runner ? `.${request.runner}` : ''}${request.phase ? `.${request.phase}` : ''}${timeout}${request.color ? '.color' : ''}.out`
}

interface Key {
  key: string
  sources: string[]
  options: string[]
  /** `name@hash` of each project file the run read (reads.ts). */
  reads: string[]
}

export async function obtainOutputs(requests: OutputRequest[], context: OutputContext): Promise<Map<string, OutputOutcome>> {
  const unique = new Map(requests.map((request) => [requestId(request), request]))
  const outcomes = new Map<string, OutputOutcome>()
  const toRun: Array<() => Promise<void>> = []
  // Snippets of this batch may run at the same time: what one writes in its own folder is not
  // blamed on another.
  const batchFolders = new Set<string>()
  // Completions of runs whose inputs are known once the whole batch has run (reads.ts).
  const afterBatch: Array<() => void> = []
  // What git ignores is asked again: files and .gitignore may have changed since the last build.
  forgetIgnored()

  for (const [id, request] of unique) {
    const absolute = path.join(context.snippetsDir, request.snippet)
    const runner = request.kind === 'run' ? runnerOf(request, absolute, context) : undefined
    const storeFile = storePath(context.snippetsDir, request.snippet, variantOf(request, runner))
    const shown = path.relative(process.cwd(), storeFile) || storeFile
    let stored: StoredOutput | undefined
    let corrupt: string | undefined
    try {
      stored = readStoredStrict(storeFile)
    } catch (error) {
      if (!(error instanceof CorruptStoredOutput)) throw error
      corrupt = `The stored output \`${shown}\` is corrupt (${error.message})`
    }
    const sources = request.kind === 'run' ? sourcesOf(absolute, runner, context.snippetsDir) : [absolute]
    const producer = producerFor(request, absolute, stored, runner)
    const files = readSources(sources, context.snippetsDir)
    // What the stored output's run read, as the files are now (none for lint results). A command
    // runner's snippet stands on its folder's data files and its build's dependencies (reads.ts).
    const reads = request.kind === 'run' ? inputsToCheck(readScope(request, runner, absolute, context), absolute, sources, context.snippetsDir, stored) : undefined
    const key = producer === undefined || files === undefined ? undefined : keyFor(request, files, producer, reads, runner)
    const fresh = stored !== undefined && key !== undefined && stored.key === key.key
    if (fresh && context.mode !== 'rerun') {
      outcomes.set(id, { request, sources: [...sources, ...(reads?.watched ?? [])], stored: stored!, storeFile, ran: false })
      continue
    }
    // The output of an earlier build that failed after running this snippet (pending.ts), still fresh.
    const pending = context.mode === 'reuse' && producer !== undefined && files !== undefined ? readPending(storeFile) : undefined
    if (pending) {
      const pendingReads = request.kind === 'run' ? inputsToCheck(readScope(request, runner, absolute, context), absolute, sources, context.snippetsDir, pending) : undefined
      if (pending.key === keyFor(request, files!, producer!, pendingReads, runner).key) {
        outcomes.set(id, { request, sources: [...sources, ...(pendingReads?.watched ?? [])], stored: pending, storeFile, ran: true, pending: true })
        continue
      }
    }
    batchFolders.add(path.dirname(absolute))
    if (context.mode === 'frozen') {
      const why = corrupt
        ? `${corrupt}:`
        : `The stored output of \`snippets/${request.snippet}\` ${stored ? `is stale (${staleness(stored, key, producer)})` : 'is missing'}:`
      outcomes.set(id, { request, sources, stored: placeholder(request), storeFile, ran: false, failure: `${why} run \`npm run update\` and commit the result`, failureRule: corrupt ? 'snippet-corrupt' : 'snippet-stale' })
      continue
    }
    toRun.push(async () => {
      context.signal?.throwIfAborted()
      const outcome = await produce({ request, sources, storeFile, files, producer, key: key ?? { key: '', sources: [], options: [], reads: [] }, ...(runner ? { runner } : {}) }, context, batchFolders, afterBatch)
      if (corrupt) outcome.notice = context.mode === 'rerun' ? `${corrupt}: compared with a new run` : `${corrupt}: replaced by a new run`
      outcomes.set(id, outcome)
    })
  }
  await runBounded(toRun, Math.max(1, os.availableParallelism()))
  for (const complete of afterBatch) complete()
  // Kept until a build stores them: one that fails after this keeps them for the next. Not a run
  // stopped (timeout, flood, cancelled): its partial output is an error of each build that runs it.
  for (const outcome of outcomes.values()) {
    const stopped = outcome.run && (outcome.run.timedOut || outcome.run.truncated || outcome.run.cancelled)
    if (outcome.ran && !outcome.pending && !outcome.failure && !stopped && context.mode === 'reuse') keepPending(outcome.storeFile, outcome.stored)
  }
  return outcomes
}

/** What differs between a stored output's key and the current one, in words. */
function staleness(stored: StoredOutput, now: Key | undefined, producer: string | undefined): string {
  if (!now || !stored.sources) return 'the snippet, a file it imports or reads, the interpreter or the options changed'
  const changes: string[] = []
  const before = new Map(stored.sources.map((stamp) => splitStamp(stamp)))
  const after = new Map(now.sources.map((stamp) => splitStamp(stamp)))
  const [first] = now.sources.map((stamp) => splitStamp(stamp)[0])
  // Named from the project, as the message's first words name the snippet and a file it reads.
  const shown = (name: string) => `\`snippets/${name}\``
  for (const [name, hash] of after) {
    if (before.get(name) === hash) continue
    const what = name === first ? `the code of ${shown(name)}` : `${shown(name)}, which it imports,`
    changes.push(`${what} ${before.has(name) ? 'changed' : 'is new'}`.replace(/,$/, ''))
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push(`${shown(name)} is no longer imported`)
  changes.push(...readChanges(stored.reads ?? [], now.reads))
  const storedProducer = producerLine(stored.producer)
  if (producer !== undefined && storedProducer !== producerLine(producer)) changes.push(`the interpreter changed from ${storedProducer} to ${producerLine(producer)}`)
  const optionsBefore = (stored.options ?? []).join(' ')
  const optionsNow = now.options.join(' ')
  if (optionsBefore !== optionsNow) changes.push(`the options changed from \`${optionsBefore || 'none'}\` to \`${optionsNow || 'none'}\``)
  return changes.length > 0 ? changes.join('; ') : 'its key does not match: it was recorded by another version of the toolchain'
}

/** Which files the run read changed, by name: `snippets/demo/data.txt`, which it reads, changed. */
function readChanges(before: string[], after: string[]): string[] {
  const old = new Map(before.map((stamp) => splitStamp(stamp)))
  const changes: string[] = []
  for (const [name, hash] of after.map((stamp) => splitStamp(stamp))) {
    const was = old.get(name)
    old.delete(name)
    if (was === hash) continue
    const shown = `\`${decodeURIComponent(name)}\`, which it reads,`
    changes.push(`${shown} ${was === undefined ? 'is new' : hash === '-' ? 'is gone' : was === '-' ? 'is there now' : 'changed'}`)
  }
  for (const name of old.keys()) changes.push(`\`${decodeURIComponent(name)}\`, which it read, is gone`)
  return changes
}

function splitStamp(stamp: string): [string, string] {
  const at = stamp.lastIndexOf('@')
  return [stamp.slice(0, at), stamp.slice(at + 1)]
}

/** The files a run's output depends on: the snippet, what it imports, its runner's declared sources. */
export function sourcesOf(absolute: string, runner: RunnerSpec | undefined, snippetsDir: string): string[] {
  return [...new Set([absolute, ...localDependencies(absolute), ...(runner ? runnerSources(runner, absolute, snippetsDir) : [])])]
}

/**
 * How the inputs of a run besides its sources are told (reads.ts): a built-in runner's way; for a
 * command runner, the data files of its root folder (where it runs) and its build's dependencies,
 * or only the latter for a build-only output; a runner that declares nothing stands on its folder.
 */
export function readScope(request: OutputRequest, runner: RunnerSpec | undefined, absolute: string, context: Pick<OutputContext, 'runners' | 'snippetsDir'>): ReadScope {
  if (!runner || runner.builtin) return scopeOf(runner?.builtin, absolute)
  const dir = rootOf(runner, absolute, context.snippetsDir)
  if (request.phase === 'build') return { tracking: 'build', dir }
  if (runner.wholeFolder) return { tracking: 'folder', dir: path.dirname(absolute) }
  const runners = context.runners ?? DEFAULT_RUNNERS
  return { tracking: 'data', dir, isSource: (file) => runners.isSource(file), buildDeps: runner.build.length > 0 }
}

/** The runner of a run request: the one the block names, else the file's. */
export function runnerOf(request: OutputRequest, absolute: string, context: Pick<OutputContext, 'runners' | 'snippetsDir'>): RunnerSpec | undefined {
  const runners = context.runners ?? DEFAULT_RUNNERS
  return request.runner ? runners.named(request.runner) : runners.forFile(absolute, context.snippetsDir)
}

function producerFor(request: OutputRequest, absolute: string, stored: StoredOutput | undefined, runner: RunnerSpec | undefined): string | undefined {
  if (request.kind === 'lint') return lintProducer()
  if (runner && !runner.builtin) {
    try {
      const toolchain = resolveToolchain(runner)
      return isMissing(toolchain) ? stored?.producer : toolchain.version
    } catch {
      // A version command that fails: reported at the block if the snippet has to run.
      return stored?.producer
    }
  }
  const interpreter = runner?.builtin ? resolveInterpreter(runner.builtin, absolute) : undefined
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
 * release, so that a CI runner's 3.11.x matches a laptop's; Node.js by its major version
 * (`Node.js v20`), since its minor releases do not change what a program prints. `npm run
 * verify` compares the content itself whatever the version. The stored file keeps the full version.
 */
export function producerLine(producer: string): string {
  const node = /^Node\.js (v\d+)\.\d+\.\d+\S*$/.exec(producer)
  if (node) return `Node.js ${node[1]}`
  return producer.replace(/^(\S+ \d+\.\d+)\.\d+\S*$/, '$1')
}

/** The snippet and its imports as the key names them (relative to the snippets folder), with their text. */
type SourceFiles = Array<[string, string]>

function readSources(sources: string[], snippetsDir: string): SourceFiles | undefined {
  try {
    return sources.map((file) => [path.relative(snippetsDir, file).split(path.sep).join('/'), readFileSync(file, 'utf8')])
  } catch {
    return undefined
  }
}

function keyFor(request: OutputRequest, files: SourceFiles, producer: string, reads: RunInputs | undefined, runner: RunnerSpec | undefined): Key {
  const options: Record<string, unknown> = request.kind === 'run' ? { timeoutMs: request.timeoutMs, ...(request.color ? { color: true } : {}) } : { select: request.select }
  const read = reads ? stampReads(reads) : { entries: [], stamps: [] }
  // A command runner's definition (its commands and variables) and the phase shown are options
  // too (the four built-in runners' keys are as they always were).
  if (runner && !runner.builtin) options.runner = `${runner.name}:${runnerHash(runner)}`
  if (request.phase) options.phase = request.phase
  return {
    key: freshnessKey({ files, reads: read.entries, producer: producerLine(producer), options }),
    sources: files.map(([name, content]) => sourceStamp(name, content)),
    options: Object.entries(options).map(([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : String(value)}`),
    reads: read.stamps,
  }
}

interface Job {
  request: OutputRequest
  sources: string[]
  storeFile: string
  /** The snippet and its imports as they were before the run (the key is made of these). */
  files: SourceFiles | undefined
  producer: string | undefined
  /** The freshness key computed before the run (the run's reads complete it afterwards). */
  key: Key
  runner?: RunnerSpec
}

async function produce(job: Job, context: OutputContext, batchFolders: Set<string>, afterBatch: Array<() => void>): Promise<OutputOutcome> {
  const { request, sources, storeFile, key } = job
  const absolute = sources[0] ?? path.join(context.snippetsDir, request.snippet)
  const header: Pick<StoredOutput, 'key' | 'sources' | 'options' | 'reads' | 'writes'> = { key: key.key, sources: key.sources, options: key.options }
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
    return { request, sources, stored: { snippet: request.snippet, producer: lintProducer(), exit: '-', ...header, output }, storeFile, ran: true }
  }
  if (job.runner && !job.runner.builtin) return produceWithToolchain(job, job.runner, context, batchFolders, afterBatch)
  const runner = job.runner?.builtin
  const interpreter: Interpreter | undefined = runner ? resolveInterpreter(runner, absolute) : undefined
  if (!interpreter) {
    const wanted = runner === 'python' ? '`python3`' : runner === 'sh' ? `\`${shebangName(absolute)}\` (from its \`#!\` line)` : 'interpreter'
    return {
      request,
      sources,
      stored: placeholder(request),
      storeFile,
      ran: false,
      failure: `Cannot run \`snippets/${request.snippet}\`: no ${wanted} on PATH, and its stored output is missing or stale`,
      failureRule: 'snippet-toolchain',
    }
  }
  // The project the snippets belong to: what a snippet writes there outside its own folder is named.
  const project = path.dirname(context.snippetsDir)
  const skipped = new Set([...batchFolders, path.dirname(absolute)])
  const before = snapshotProject(project, skipped)
  const recording = recordReads(interpreter.runner, absolute, context.snippetsDir)
  let run: RunResult
  let opened: OpenedFiles
  try {
    run = await runSnippet(absolute, interpreter, { ...DEFAULT_LIMITS, timeoutMs: request.timeoutMs }, { color: request.color === true, environment: recording.environment, ...(context.signal ? { signal: context.signal } : {}) })
  } finally {
    opened = recording.collect()
  }
  context.signal?.throwIfAborted()
  const projectWrites = changedFiles(before, snapshotProject(project, skipped), project)
  const output = await normalizeOutput(run.output, {
    snippetsDir: context.snippetsDir,
    projectDir: context.projectDir,
    replacements: interpreter.replacements,
    color: request.color === true,
    secrets: [run.token, ...recording.secrets],
  })
  const exit = run.signal ?? String(run.exitCode ?? '?')
  const outcome: OutputOutcome = {
    request,
    sources,
    stored: { snippet: request.snippet, producer: interpreter.version, exit, ...header, output },
    storeFile,
    ran: true,
    run,
    ...(projectWrites.length > 0 ? { projectWrites } : {}),
  }
  completeWithReads(outcome, opened, job, { snippetsDir: context.snippetsDir, libraries: interpreter.replacements.map((entry) => entry.from), afterBatch })
  return outcome
}

/**
 * Completes a run's key and header with what it read (the snippet and its imports as they were
 * before it): now, or once its batch has run (reads.ts, waitsForBatch).
 */
function completeWithReads(outcome: OutputOutcome, opened: OpenedFiles, job: Job, context: { snippetsDir: string; libraries: string[]; afterBatch: Array<() => void> }): void {
  const complete = () => {
    const reads = readsOfRun(opened, { snippetsDir: context.snippetsDir, sources: job.sources, libraries: context.libraries })
    outcome.sources = [...job.sources, ...reads.watched]
    if (job.files && job.producer !== undefined) {
      const key = keyFor(job.request, job.files, job.producer, reads, job.runner)
      outcome.stored.key = key.key
      if (key.reads.length > 0) outcome.stored.reads = key.reads
    }
    if (reads.writes.length > 0) outcome.stored.writes = reads.writes
  }
  if (waitsForBatch(opened)) context.afterBatch.push(complete)
  else complete()
}

/** A snippet of a command runner (runners.ts): built if it has a build step, then run. */
async function produceWithToolchain(job: Job, runner: RunnerSpec, context: OutputContext, batchFolders: Set<string>, afterBatch: Array<() => void>): Promise<OutputOutcome> {
  const { request, sources, storeFile, key } = job
  const absolute = sources[0] ?? path.join(context.snippetsDir, request.snippet)
  const where = `snippets/${request.snippet}`
  const failed = (failure: string, output = '', failureRule = 'snippet-toolchain'): OutputOutcome => ({ request, sources, stored: { ...placeholder(request), output }, storeFile, ran: false, failure, failureRule })
  let toolchain
  try {
    toolchain = resolveToolchain(runner)
  } catch (error) {
    return failed(`Cannot run \`${where}\`: ${(error as Error).message}`)
  }
  if (isMissing(toolchain)) {
    return failed(
      `Cannot run \`${where}\`: the \`${runner.name}\` runner needs \`${toolchain.program}\`, which is not on its PATH (${describeSearch(toolchain)}), and its stored output is missing or stale: install it, or add its folder to \`runners.${runner.name}.path\` in deck.config.yaml`,
    )
  }
  const project = path.dirname(context.snippetsDir)
  // A project runner's root is the snippet's own folder too (cargo writes Cargo.lock there).
  const skipped = new Set([...batchFolders, path.dirname(absolute), rootOf(runner, absolute, context.snippetsDir)])
  const before = snapshotProject(project, skipped)
  // What the program reads is not traced: its folder's data files count, and what its compiler read (reads.ts).
  const recording = recordReads(readScope(request, runner, absolute, context), absolute, context.snippetsDir)
  let done
  try {
    done = await runWithToolchain(absolute, context.snippetsDir, toolchain, {
      timeoutMs: request.timeoutMs, sources, color: request.color === true, ...(request.phase ? { phase: request.phase } : {}), ...(context.signal ? { signal: context.signal } : {}),
    })
  } catch (error) {
    recording.collect()
    context.signal?.throwIfAborted()
    return failed(`Cannot run \`${where}\`: ${(error as Error).message}`)
  }
  const opened = recording.collect()
  opened.reads.push(...done.deps)
  context.signal?.throwIfAborted()
  const projectWrites = changedFiles(before, snapshotProject(project, skipped), project)
  const run = done.result
  const normalized = await normalizeOutput(run.output, {
    snippetsDir: context.snippetsDir,
    projectDir: context.projectDir,
    replacements: done.replacements,
    color: request.color === true,
    secrets: [run.token].filter(Boolean),
  })
  const output = rewriteOutput(normalized, runner.replace)
  const exit = run.signal ?? String(run.exitCode ?? '?')
  if (done.phase === 'build' && request.phase !== 'build') {
    return failed(`\`${where}\` did not build (${/^\d+$/.test(exit) ? `exit status ${exit}` : `signal ${exit}`}): fix it, or set \`phase=build\` (with \`exit=\`) to show the failing build`, output, 'snippet-build')
  }
  const outcome: OutputOutcome = {
    request,
    sources,
    stored: { snippet: request.snippet, producer: toolchain.version, exit, key: key.key, sources: key.sources, options: key.options, output },
    storeFile,
    ran: true,
    run,
    ...(done.build ? { build: done.build } : {}),
    ...(projectWrites.length > 0 ? { projectWrites } : {}),
  }
  completeWithReads(outcome, opened, job, { snippetsDir: context.snippetsDir, libraries: [], afterBatch })
  return outcome
}

/** The program a shell script's `#!` line names (`bash` for `#!/usr/bin/env bash`). */
function shebangName(file: string): string {
  const [program, ...args] = shebangOf(file)
  if (!program) return 'sh'
  return path.basename(program) === 'env' ? (args.find((arg) => !arg.startsWith('-')) ?? 'env') : program
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
