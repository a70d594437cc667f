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
import { DEFAULT_LIMITS, runSnippet, type RunResult } from './run.ts'
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
  /** The files the output depends on: the snippet and what it imports (absolute paths). */
  sources: string[]
  stored: StoredOutput
  storeFile: string
  /** true when the snippet ran in this build (false: reused). */
  ran: boolean
  run?: RunResult
  /** Set when the output could not be had (stale while frozen, no interpreter, ...). */
  failure?: string
  /** Files of the project outside the snippet's folder that changed while it ran. */
  projectWrites?: string[]
  /** Something worth a warning that did not stop the output (a corrupt stored file replaced). */
  notice?: string
  /** A compiled snippet's build before its run: cached, or how long it took. */
  build?: { cached: boolean; durationMs: number }
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
}

export async function obtainOutputs(requests: OutputRequest[], context: OutputContext): Promise<Map<string, OutputOutcome>> {
  const unique = new Map(requests.map((request) => [requestId(request), request]))
  const outcomes = new Map<string, OutputOutcome>()
  const toRun: Array<() => Promise<void>> = []
  // Snippets of this batch may run at the same time: what one writes in its own folder is not
  // blamed on another.
  const batchFolders = new Set<string>()

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
    const key = producer === undefined ? undefined : keyFor(request, sources, context.snippetsDir, producer, runner)
    const fresh = stored !== undefined && key !== undefined && stored.key === key.key
    if (fresh && context.mode !== 'rerun') {
      outcomes.set(id, { request, sources, stored: stored!, storeFile, ran: false })
      continue
    }
    batchFolders.add(path.dirname(absolute))
    if (context.mode === 'frozen') {
      const why = corrupt
        ? `${corrupt}:`
        : `The stored output of \`snippets/${request.snippet}\` ${stored ? `is stale (${staleness(stored, key, producer)})` : 'is missing'}:`
      outcomes.set(id, { request, sources, stored: placeholder(request), storeFile, ran: false, failure: `${why} run \`npm run update\` and commit the result` })
      continue
    }
    toRun.push(async () => {
      context.signal?.throwIfAborted()
      const outcome = await produce({ request, sources, storeFile, key: key ?? { key: '', sources: [], options: [] }, ...(runner ? { runner } : {}) }, context, batchFolders)
      if (corrupt) outcome.notice = `${corrupt}: replaced by a new run`
      outcomes.set(id, outcome)
    })
  }
  await runBounded(toRun, Math.max(1, os.availableParallelism()))
  return outcomes
}

/** What differs between a stored output's key and the current one, in words. */
function staleness(stored: StoredOutput, now: Key | undefined, producer: string | undefined): string {
  if (!now || !stored.sources) return 'the snippet, a file it imports, the interpreter or the options changed'
  const changes: string[] = []
  const before = new Map(stored.sources.map((stamp) => splitStamp(stamp)))
  const after = new Map(now.sources.map((stamp) => splitStamp(stamp)))
  const [first] = now.sources.map((stamp) => splitStamp(stamp)[0])
  for (const [name, hash] of after) {
    if (before.get(name) === hash) continue
    const what = name === first ? `the code of \`${name}\`` : `\`${name}\`, which it imports,`
    changes.push(`${what} ${before.has(name) ? 'changed' : 'is new'}`.replace(/,$/, ''))
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push(`\`${name}\` is no longer imported`)
  const storedProducer = producerLine(stored.producer)
  if (producer !== undefined && storedProducer !== producerLine(producer)) changes.push(`the interpreter changed from ${storedProducer} to ${producerLine(producer)}`)
  const optionsBefore = (stored.options ?? []).join(' ')
  const optionsNow = now.options.join(' ')
  if (optionsBefore !== optionsNow) changes.push(`the options changed from \`${optionsBefore || 'none'}\` to \`${optionsNow || 'none'}\``)
  return changes.length > 0 ? changes.join('; ') : 'its key does not match'
}

function splitStamp(stamp: string): [string, string] {
  const at = stamp.lastIndexOf('@')
  return [stamp.slice(0, at), stamp.slice(at + 1)]
}

/** The files a run's output depends on: the snippet, what it imports, its runner's declared sources. */
export function sourcesOf(absolute: string, runner: RunnerSpec | undefined, snippetsDir: string): string[] {
  return [...new Set([absolute, ...localDependencies(absolute), ...(runner ? runnerSources(runner, absolute, snippetsDir) : [])])]
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

function keyFor(request: OutputRequest, sources: string[], snippetsDir: string, producer: string, runner: RunnerSpec | undefined): Key | undefined {
  let files: Array<[string, string]>
  try {
    files = sources.map((file) => [path.relative(snippetsDir, file).split(path.sep).join('/'), readFileSync(file, 'utf8')])
  } catch {
    return undefined
  }
  const options: Record<string, unknown> = request.kind === 'run' ? { timeoutMs: request.timeoutMs, ...(request.color ? { color: true } : {}) } : { select: request.select }
  // A command runner's definition (its commands and variables) and the phase shown are options
  // too (the four built-in runners' keys are as they always were).
  if (runner && !runner.builtin) options.runner = `${runner.name}:${runnerHash(runner)}`
  if (request.phase) options.phase = request.phase
  return {
    key: freshnessKey({ files, producer: producerLine(producer), options }),
    sources: files.map(([name, content]) => sourceStamp(name, content)),
    options: Object.entries(options).map(([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : String(value)}`),
  }
}

interface Job {
  request: OutputRequest
  sources: string[]
  storeFile: string
  /** The freshness key computed before the run, from the same sources and producer. */
  key: Key
  runner?: RunnerSpec
}

async function produce(job: Job, context: OutputContext, batchFolders: Set<string>): Promise<OutputOutcome> {
  const { request, sources, storeFile, key } = job
  const absolute = sources[0] ?? path.join(context.snippetsDir, request.snippet)
  const header = { key: key.key, sources: key.sources, options: key.options }
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
  if (job.runner && !job.runner.builtin) return produceWithToolchain(job, job.runner, context, batchFolders)
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
    }
  }
  // The project the snippets belong to: what a snippet writes there outside its own folder is named.
  const project = path.dirname(context.snippetsDir)
  const skipped = new Set([...batchFolders, path.dirname(absolute)])
  const before = snapshotProject(project, skipped)
  const run = await runSnippet(absolute, interpreter, { ...DEFAULT_LIMITS, timeoutMs: request.timeoutMs }, { color: request.color === true, ...(context.signal ? { signal: context.signal } : {}) })
  context.signal?.throwIfAborted()
  const projectWrites = changedFiles(before, snapshotProject(project, skipped), project)
  const output = await normalizeOutput(run.output, {
    snippetsDir: context.snippetsDir,
    projectDir: context.projectDir,
    replacements: interpreter.replacements,
    color: request.color === true,
    secrets: [run.token],
  })
  const exit = run.signal ?? String(run.exitCode ?? '?')
  return {
    request,
    sources,
    stored: { snippet: request.snippet, producer: interpreter.version, exit, ...header, output },
    storeFile,
    ran: true,
    run,
    ...(projectWrites.length > 0 ? { projectWrites } : {}),
  }
}

/** A snippet of a command runner (runners.ts): built if it has a build step, then run. */
async function produceWithToolchain(job: Job, runner: RunnerSpec, context: OutputContext, batchFolders: Set<string>): Promise<OutputOutcome> {
  const { request, sources, storeFile, key } = job
  const absolute = sources[0] ?? path.join(context.snippetsDir, request.snippet)
  const where = `snippets/${request.snippet}`
  const failed = (failure: string, output = ''): OutputOutcome => ({ request, sources, stored: { ...placeholder(request), output }, storeFile, ran: false, failure })
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
  let done
  try {
    done = await runWithToolchain(absolute, context.snippetsDir, toolchain, {
      timeoutMs: request.timeoutMs, sources, color: request.color === true, ...(request.phase ? { phase: request.phase } : {}), ...(context.signal ? { signal: context.signal } : {}),
    })
  } catch (error) {
    context.signal?.throwIfAborted()
    return failed(`Cannot run \`${where}\`: ${(error as Error).message}`)
  }
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
    return failed(`\`${where}\` did not build (${/^\d+$/.test(exit) ? `exit status ${exit}` : `signal ${exit}`}): fix it, or set \`phase=build\` (with \`exit=\`) to show the failing build`, output)
  }
  return {
    request,
    sources,
    stored: { snippet: request.snippet, producer: toolchain.version, exit, key: key.key, sources: key.sources, options: key.options, output },
    storeFile,
    ran: true,
    run,
    ...(done.build ? { build: done.build } : {}),
    ...(projectWrites.length > 0 ? { projectWrites } : {}),
  }
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
