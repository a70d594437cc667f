/**
 * Runs a snippet with a command runner: its build steps (if any) into a scratch folder under
 * .cache/snippet-builds/, kept by key (the runner, the toolchain's version, the snippet's folder
 * and files), so that an unchanged program is never compiled twice; then its run command. Both go
 * through the same launcher as every snippet (run.ts: pinned environment, containment, limits).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { cacheDir, cacheKey, renewEntry, pruneOnce, writeAtomic } from '../core/cache.ts'
import type { Interpreter } from './interpreters.ts'
import { DEFAULT_LIMITS, runSnippet, type RunOptions, type RunResult } from './run.ts'
import { rootOf, type RunnerSpec } from './runners.ts'
import type { Toolchain } from './toolchain.ts'

export type Phase = 'build' | 'run'

export interface CommandRunResult {
  /** The phase the result is of: `build` when a build step failed (nothing ran) or when asked for. */
  phase: Phase
  result: RunResult
  /** Paths to replace in the output (the scratch build folder). */
  replacements: Array<{ from: string; to: string }>
  /** The build step before a run: from the cache (not compiled again), or how long it took. */
  build?: { cached: boolean; durationMs: number }
  /**
   * What the compiler says the build read (absolute): the files its dependency output names
   * (`*.d` in the build folder: gcc's `-MMD -MF {build}/deps.d`, rustc's `--emit=dep-info=...`).
   */
  deps: string[]
}

export interface CommandRunOptions extends RunOptions {
  timeoutMs: number
  /** `build`: the result is the build's output, whatever its status (`phase=build`). */
  phase?: Phase
  /** The snippet's files (its key's sources): the build's cache key. */
  sources: string[]
}

/** A definition's fingerprint: what in it can change what a snippet prints (or how it is shown). */
export function runnerHash(runner: RunnerSpec): string {
  return cacheKey(JSON.stringify({ build: runner.build, run: runner.run, env: runner.env, replace: runner.replace })).slice(0, 8)
}

export function toolchainInterpreter(toolchain: Toolchain): Interpreter {
  return { runner: 'command', command: ['/bin/sh', '-c'], version: toolchain.version, replacements: [], path: toolchain.path, env: toolchain.env }
}

const building = new Map<string, Promise<BuildRecord>>()

interface BuildRecord {
  exitCode: number | null
  signal: NodeJS.Signals | null
  output: string
  token: string
  invalidUtf8: boolean
  durationMs: number
  /** What the compiler read (buildDeps), with a hash of each: a build whose dependency changed is made again. */
  deps?: Array<[file: string, hash: string]>
}

export async function runWithToolchain(file: string, snippetsDir: string, toolchain: Toolchain, options: CommandRunOptions): Promise<CommandRunResult> {
  const runner = toolchain.runner
  const root = rootOf(runner, file, snippetsDir)
  const interpreter = toolchainInterpreter(toolchain)
  const { phase: wanted, sources, timeoutMs, ...runOptions } = options
  let build = ''
  const replacements: Array<{ from: string; to: string }> = [{ from: toolchain.cache, to: '<cache>' }]
  const substitute = (command: string) => expandCommand(command, { file: path.relative(root, file), build, cache: toolchain.cache })
  if (runner.build.length > 0) {
    // The folder is in the key: a build records the headers its compiler read by their path there,
    // and another checkout with the same sources but other headers must not take its program.
    const key = cacheKey(runner.name, runnerHash(runner), toolchain.version, root, ...sources.flatMap((source) => [path.relative(snippetsDir, source), readFileSync(source)]))
    build = path.join(cacheDir, 'snippet-builds', `${runner.name}-${key}`)
    replacements.unshift({ from: build, to: '<build>' })
    const started = performance.now()
    // The key holds the declared sources; a file only the compiler knew of (a header) is checked here.
    const cached = upToDate(readRecord(build))
    // The build's output streams (run on stage) only when it is what the block shows.
    const { onOutput, ...quiet } = runOptions
    const buildOptions = wanted === 'build' && onOutput ? { ...quiet, onOutput } : quiet
    const record = cached ?? (await buildOnce(build, () => compile(runner.build.map(substitute), root, build, interpreter, runner.buildTimeout * 1000, buildOptions)))
    if (record === undefined) throw new Error('the build was stopped')
    const failed = record.exitCode !== 0
    if (wanted === 'build' || failed) {
      const result: RunResult = {
        output: record.output, exitCode: record.exitCode, signal: record.signal, timedOut: false, truncated: false, invalidUtf8: record.invalidUtf8,
        leftovers: [], token: record.token, durationMs: cached ? performance.now() - started : record.durationMs, cancelled: false,
      }
      return { phase: 'build', result, replacements, build: { cached: cached !== undefined, durationMs: cached ? 0 : record.durationMs }, deps: buildDeps(build, root) }
    }
    const result = await runSnippet(file, interpreter, { ...DEFAULT_LIMITS, timeoutMs }, { ...runOptions, command: ['/bin/sh', '-c', substitute(runner.run)], cwd: root })
    return { phase: 'run', result, replacements, build: { cached: cached !== undefined, durationMs: cached ? 0 : record.durationMs }, deps: buildDeps(build, root) }
  }
  if (wanted === 'build') throw new Error(`the \`${runner.name}\` runner has no build step`)
  const result = await runSnippet(file, interpreter, { ...DEFAULT_LIMITS, timeoutMs }, { ...runOptions, command: ['/bin/sh', '-c', substitute(runner.run)], cwd: root })
  return { phase: 'run', result, replacements, deps: [] }
}

/**
 * The prerequisites the Make-style dependency files (`*.d`) at the top of a build folder name,
 * resolved against the folder the build ran in. Targets are left out (they are the build's own
 * output), and so is the build folder.
 */
export function buildDeps(dir: string, root: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.d'))
  } catch {
    return []
  }
  const found = new Set<string>()
  for (const name of names) {
    let text: string
    try {
      text = readFileSync(path.join(dir, name), 'utf8')
    } catch {
      continue
    }
    for (const rule of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
      const colon = rule.search(/:(?:\s|$)/)
      if (colon < 0) continue
      for (const word of rule.slice(colon + 1).match(/(?:\\.|[^\s\\])+/g) ?? []) {
        const file = path.resolve(root, word.replace(/\\(.)/g, '$1').replace(/\$\$/g, '$'))
        if (!file.startsWith(dir + path.sep)) found.add(file)
      }
    }
  }
  return [...found].sort()
}

/** A cached build whose dependencies (as its compiler named them) are unchanged; undefined otherwise. */
function upToDate(record: BuildRecord | undefined): BuildRecord | undefined {
  // A record of an older version, without the list, is made again.
  return record?.deps && record.deps.every(([file, hash]) => contentHash(file) === hash) ? record : undefined
}

function contentHash(file: string): string {
  try {
    return cacheKey(readFileSync(file))
  } catch {
    return '-'
  }
}

/** One build per folder at a time in this process (two blocks of one snippet share it). */
function buildOnce(dir: string, make: () => Promise<BuildRecord | undefined>): Promise<BuildRecord | undefined> {
  const running = building.get(dir)
  if (running) return running
  const promise = make().finally(() => building.delete(dir)) as Promise<BuildRecord>
  building.set(dir, promise)
  return promise
}

const RECORD = '.deck-build.json'

function readRecord(dir: string): BuildRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path.join(dir, RECORD), 'utf8')) as BuildRecord
    renewEntry(dir)
    return record
  } catch {
    return undefined
  }
}

/**
 * Runs the build steps in order into `dir` (built in place: a Cargo target folder remembers its
 * own path), stopping at the first that fails. The record is written last: a folder without one
 * is an interrupted build, started again. A timeout or a cancelled build is not kept.
 */
async function compile(commands: string[], root: string, dir: string, interpreter: Interpreter, timeoutMs: number, options: RunOptions): Promise<BuildRecord | undefined> {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  pruneOnce('snippet-builds')
  let output = ''
  let last: RunResult | undefined
  const started = performance.now()
  for (const command of commands) {
    last = await runSnippet(path.join(root, '.'), interpreter, { ...DEFAULT_LIMITS, timeoutMs }, { ...options, command: ['/bin/sh', '-c', command], cwd: root })
    output += last.token ? last.output.split(last.token).join('<run>') : last.output
    if (last.cancelled || last.timedOut || last.truncated) {
      rmSync(dir, { recursive: true, force: true })
      if (last.cancelled) return undefined
      return { exitCode: last.exitCode, signal: last.signal ?? 'SIGKILL', output: `${output}\n[the build was stopped: ${last.timedOut ? `it took longer than ${timeoutMs / 1000} s` : 'it printed more than 1 MiB'}]\n`, token: '', invalidUtf8: last.invalidUtf8, durationMs: performance.now() - started }
    }
    if (last.exitCode !== 0) break
  }
  const deps = buildDeps(dir, root).map((file): [string, string] => [file, contentHash(file)])
  const record: BuildRecord = { exitCode: last?.exitCode ?? 0, signal: last?.signal ?? null, output, token: '', invalidUtf8: last?.invalidUtf8 ?? false, durationMs: performance.now() - started, deps }
  if (existsSync(dir)) writeAtomic(path.join(dir, RECORD), JSON.stringify(record))
  return record
}

/** `{file}`, `{name}`, `{build}`, `{cache}` in a command, quoted for the shell. */
export function expandCommand(command: string, values: { file: string; build: string; cache: string }): string {
  const name = path.basename(values.file, path.extname(values.file))
  const table: Record<string, string> = { file: values.file, name, build: values.build, cache: values.cache }
  return command.replace(/\{(file|name|build|cache)\}/g, (_, key: string) => shellQuote(table[key] ?? ''))
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

/** A runner's `replace` rules (`REGEX=>TEXT`, every match, `^`/`$` at line ends) on normalised output. */
export function rewriteOutput(text: string, rules: string[]): string {
  for (const rule of rules) {
    const at = rule.indexOf('=>')
    text = text.replace(new RegExp(rule.slice(0, at), 'gm'), rule.slice(at + 2))
  }
  return text
}
