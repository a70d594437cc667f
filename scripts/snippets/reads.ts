/**
 * What a run read: the project files besides the snippet and its imports that its output depends
 * on, for the freshness key (outputs.ts). Where the runtime allows it, the run itself says: Python
 * through an audit hook on `open` (python/sitecustomize.py), Node.js and TypeScript through a
 * preloaded module that wraps the `fs` reads (node/record-reads.cjs); both append `r <path>` and
 * `w <path>` lines (and `x` when the snippet starts another program) to a file named by an
 * environment variable, which they remove from the snippet's environment; nothing goes to the
 * output. For shell scripts (and a runner of deck.config.yaml that declares nothing), and a
 * snippet that started another program (whose reads are not seen), every file of the snippet's
 * folder counts. A command runner's program (C, Rust, Go, Java, Ruby, ...) is not traced either, but
 * its sources are known (its key's: the snippet, its imports, its `sources` globs) and so is what
 * its compiler read (the build step's dependency file, command-run.ts): what its run may read
 * besides is the data of its folder, the files no runner claims as source (`data.txt`, `*.json`),
 * never another program's source. A build-only output (`phase=build`) stands on its build alone.
 * The folder never counts editor junk (dotfiles, `*~`, `*.swp`, `#x#`), `__pycache__`, `.outputs/`
 * nor what git ignores: none of it is in a fresh clone. trackingOf() says which runner is which.
 *
 * Only files inside the project count (real paths): not the interpreter's library, not
 * node_modules, not what the snippet wrote. The stored output lists them (`reads:`, a short hash
 * each), so that the next build checks the same files without running anything.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../core/paths.ts'
import { readStored, type StoredOutput } from './store.ts'

/** The environment variable naming the file a run's reads are appended to. */
export const READS_VARIABLE = 'DECK_SNIPPET_READS'

/**
 * `traced`: the run says what it opened; `folder`: the snippet's whole folder stands for its inputs;
 * `data`: the data files of its folder do (a command runner's run), besides its build's dependencies;
 * `build`: only its build's dependencies (a build-only output).
 */
export type ReadTracking = 'traced' | 'folder' | 'data' | 'build'

/** How a run's inputs are told: for `folder` and `data`, the folder; for `data`, which files are sources. */
export interface ReadScope {
  tracking: ReadTracking
  /** The folder that stands for the inputs (`folder`, `data`): the snippet's, or its project's root. */
  dir: string
  /** `data`: whether a file is a program's source (of any runner), never a data file. */
  isSource?: (file: string) => boolean
  /** `data`: the stored reads that are sources are the build's dependencies, checked as they are. */
  buildDeps?: boolean
}

/** By the runner's name (`python`, `node`, `node-ts`, `sh`; undefined or any other: its folder counts). */
export function trackingOf(runner: string | undefined): ReadTracking {
  return runner === 'python' || runner === 'node' || runner === 'node-ts' ? 'traced' : 'folder'
}

/** Preloaded into Node.js runs; its frame in a stack is not the snippet's (normalize.ts drops it). */
export const NODE_HOOK = path.join(projectRoot, 'scripts', 'snippets', 'node', 'record-reads.cjs')
/** The toolchain's own hooks, read by every run when the project is the toolchain's. */
const HOOK_DIRS = [path.join(projectRoot, 'scripts', 'snippets', 'python'), path.dirname(NODE_HOOK)]
/** Never an input: stored outputs, caches, dependencies, version control. */
const SKIPPED_SEGMENTS = new Set(['.outputs', 'node_modules', '.git', '__pycache__', '.cache'])
/** What a folder never counts: dotfiles and dot-folders, editor backups and swap files, caches. */
export function isJunk(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || /\.sw[a-p]$/.test(name) || (name.length > 1 && name.startsWith('#') && name.endsWith('#')) || SKIPPED_SEGMENTS.has(name)
}
const MAX_FOLDER_FILES = 2_000

/** The inputs of one output besides the snippet and its imports. */
export interface RunInputs {
  /** The project (the snippets folder's parent, as real path): names are relative to it. */
  project: string
  /** Absolute, sorted; a file the run tried to open that is not there is among them. */
  files: string[]
  /**
   * What to watch for a change that makes the output stale (the dev server's watcher, the
   * up-to-date check): `files` (missing ones too) and, for `folder` tracking, the folder (a new file).
   */
  watched: string[]
  /** Names of the project files the run wrote: never its inputs, nor those of a folder-tracked snippet beside it. */
  writes: string[]
  /**
   * Inputs changed while the run went on (an edit during a build): their content after the run
   * may not be what it read, so the key takes them as changed and the next build runs it again.
   */
  unsettled?: string[]
}

/** One run being recorded. */
export interface ReadRecording {
  tracking: ReadTracking
  /** To add to the snippet's environment. */
  environment: Record<string, string>
  /** Paths the output must not show (the recording file's folder): normalisation hides them. */
  secrets: string[]
  /** What the run opened, as soon as it has ended (the recording is removed). */
  collect(): OpenedFiles
}

/** What a run opened (absolute paths), and when it ran. */
export interface OpenedFiles {
  tracking: ReadTracking
  reads: string[]
  writes: string[]
  /** It started another program, whose reads are not seen: its folder counts. */
  started: boolean
  /** The folder that stands for the inputs (`folder`, `data`, or a traced run that started a program). */
  dir?: string
  /** When the run began and ended (ms since the epoch). */
  since: number
  until: number
}

/**
 * Whether the run's inputs are known only once every run of the batch has ended: its folder counts,
 * and what the snippets beside it write there (at the same time) is not its input.
 */
export function waitsForBatch(opened: OpenedFiles): boolean {
  return opened.tracking === 'folder' || opened.tracking === 'data' || opened.started
}

/** The scope of a built-in runner (`python`, `node`, `node-ts`, `sh`) or of a snippet whose folder counts. */
export function scopeOf(runner: string | undefined, file: string): ReadScope {
  return { tracking: trackingOf(runner), dir: path.dirname(file) }
}

/** Sets up the recording of what one run of `file` reads (`runner`: a built-in runner's name, or a scope). */
export function recordReads(runner: string | ReadScope | undefined, file: string, snippetsDir: string): ReadRecording {
  const scope = typeof runner === 'object' ? runner : scopeOf(runner, file)
  const project = realpath(path.dirname(snippetsDir))
  const since = Date.now()
  // What every run wrote is known as soon as it ends, for the folder-tracked runs of its batch.
  const noteWrites = (writes: Iterable<string>) => {
    for (const written of projectInputs(writes, { project, known: [file] })) writtenByRuns.add(written)
  }
  if (scope.tracking !== 'traced') {
    const { tracking, dir } = scope
    const before = tracking === 'build' ? new Map<string, string>() : folderState(dir, snippetsDir)
    return {
      tracking,
      environment: {},
      secrets: [],
      collect() {
        if (tracking === 'build') return { tracking, reads: [], writes: [], started: false, since, until: Date.now() }
        const writes = writtenBetween(before, folderState(dir, snippetsDir))
        noteWrites(writes)
        const reads = folderFiles(dir, snippetsDir).filter((read) => tracking === 'folder' || !scope.isSource?.(read))
        return { tracking, reads, writes, started: false, since, until: Date.now(), dir }
      },
    }
  }
  const folder = scope.dir
  // What another program the snippet starts writes is told from the folder's state, as for a shell script.
  const before = folderState(folder, snippetsDir)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-reads-'))
  const target = path.join(dir, 'reads')
  const environment: Record<string, string> = { [READS_VARIABLE]: target }
  if (runner === 'node' || runner === 'node-ts') environment.NODE_OPTIONS = `--require ${quoteOption(NODE_HOOK)}`
  return {
    tracking: 'traced',
    environment,
    secrets: [dir],
    collect() {
      let text = ''
      try {
        text = readFileSync(target, 'utf8')
      } catch {
        // nothing recorded (the run cleared its environment, or never started)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
      const reads = new Set<string>()
      const writes = new Set<string>()
      let started = false
      for (const line of text.split('\n')) {
        const kind = line.slice(0, 2)
        if (kind === 'r ') reads.add(line.slice(2))
        else if (kind === 'w ') writes.add(line.slice(2))
        else if (line === 'x') started = true
      }
      // What another program read is not seen: the snippet's folder counts, as for a shell script.
      if (started) {
        for (const read of folderFiles(folder, snippetsDir)) reads.add(read)
        for (const written of writtenBetween(before, folderState(folder, snippetsDir))) writes.add(written)
      }
      noteWrites(writes)
      return { tracking: 'traced', reads: [...reads], writes: [...writes], started, since, until: Date.now(), ...(started ? { dir: folder } : {}) }
    },
  }
}

/**
 * What a run read: the project's files among what it opened. For a run that waits for its batch
 * (waitsForBatch), called once every run of the batch has ended. `libraries`: the interpreter's
 * own folders (its `replacements`), never inputs even inside the project (a virtual environment).
 */
export function readsOfRun(opened: OpenedFiles, context: { snippetsDir: string; sources: string[]; libraries?: string[] }): RunInputs {
  const project = realpath(path.dirname(context.snippetsDir))
  const written = projectInputs(opened.writes, { project, known: context.sources })
  const dir = path.dirname(context.sources[0] ?? '')
  const others = waitsForBatch(opened) ? [...writtenByRuns, ...writesBeside(dir, project), ...(opened.dir && opened.dir !== dir ? writesBeside(opened.dir, project) : [])] : []
  const files = projectInputs(opened.reads, { project, libraries: context.libraries ?? [], writes: [...opened.writes, ...others], known: context.sources })
  const unsettled = files.filter((file) => modifiedSince(file, opened.since, opened.until))
  return {
    project,
    files,
    watched: [...files, ...(opened.tracking === 'folder' || opened.tracking === 'data' ? [opened.dir ?? dir] : [])],
    writes: written.map((file) => inputName(file, project)),
    ...(unsettled.length > 0 ? { unsettled } : {}),
  }
}

/**
 * Changed between `since` and `until` (a file dated in the future, by a skewed clock, is not).
 * `since` is whole milliseconds (Date.now()) and a file's time is finer: one written in that
 * millisecond before the run began is not taken as changed during it.
 */
function modifiedSince(file: string, since: number, until: number): boolean {
  try {
    const { mtimeMs } = statSync(file)
    return mtimeMs >= since + 1 && mtimeMs <= until
  } catch {
    return false
  }
}

/**
 * The inputs to check a stored output against, without running anything: the files its run read
 * (named in its header), or for `folder` tracking the snippet's folder as it is now, less the
 * files the run wrote; for `data` tracking the folder's data files as they are now and the
 * build's dependencies its header names.
 */
export function inputsToCheck(runner: string | ReadScope | undefined, file: string, sources: string[], snippetsDir: string, stored: StoredOutput | undefined): RunInputs {
  const scope = typeof runner === 'object' ? runner : scopeOf(runner, file)
  const project = realpath(path.dirname(snippetsDir))
  const writes = stored?.writes ?? []
  const named = (stored?.reads ?? []).map((stamp) => inputFile(stamp.slice(0, stamp.lastIndexOf('@')), project))
  if (scope.tracking === 'folder' || scope.tracking === 'data') {
    const { dir } = scope
    const others = [...writtenByRuns, ...writesBeside(path.dirname(file), project), ...(dir !== path.dirname(file) ? writesBeside(dir, project) : [])]
    const folder = folderFiles(dir, snippetsDir).filter((candidate) => scope.tracking === 'folder' || !scope.isSource?.(candidate))
    const deps = scope.tracking === 'data' && scope.buildDeps ? named.filter((candidate) => scope.isSource?.(candidate)) : []
    const files = projectInputs([...folder, ...deps], { project, writes: [...writes.map((name) => inputFile(name, project)), ...others], known: sources })
    return { project, files, watched: [...files, dir], writes }
  }
  return { project, files: named, watched: named, writes }
}

/** Stands for the content of an input that changed during the run: it matches no file's. */
const CHANGED_DURING_RUN = Buffer.from('\0changed while the run read it\0')

/** Files snippet runs of this process wrote. */
const writtenByRuns = new Set<string>()

/**
 * The files the stored outputs of a folder's snippets say their runs wrote: what a snippet beside a
 * folder-tracked one writes is not the latter's input (a fresh clone does not have it).
 */
function writesBeside(dir: string, project: string): string[] {
  const outputs = path.join(dir, '.outputs')
  let names: string[]
  try {
    names = readdirSync(outputs)
  } catch {
    return []
  }
  return names.flatMap((name) => (readStored(path.join(outputs, name))?.writes ?? []).map((written) => inputFile(written, project)))
}

/** The inputs as the key takes them (name and content) and as the header shows them (`name@hash`). */
export function stampReads(inputs: RunInputs): { entries: Array<[string, Buffer | undefined]>; stamps: string[] } {
  const unsettled = new Set(inputs.unsettled)
  const entries = inputs.files.map((file): [string, Buffer | undefined] => [inputName(file, inputs.project), unsettled.has(file) ? CHANGED_DURING_RUN : inputContent(file)])
  return { entries, stamps: entries.map(([name, content]) => inputStamp(name, content)) }
}

/** NODE_OPTIONS takes double-quoted words. */
function quoteOption(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`
}

/**
 * The files among `candidates` that count as inputs: inside the project (by real path), not in a
 * skipped folder, not the interpreter's library, not written by the run, not a folder, not one of
 * `known` (the snippet and its imports, already in the key). Missing files are kept (a file the
 * snippet tried to open: creating it changes what it prints). Sorted, absolute.
 */
export function projectInputs(candidates: Iterable<string>, context: { project: string; libraries?: string[]; writes?: Iterable<string>; known?: Iterable<string> }): string[] {
  const project = realpath(context.project)
  const excluded = [...HOOK_DIRS, ...(context.libraries ?? [])].map(realpath)
  const writes = new Set([...(context.writes ?? [])].map(realpath))
  const known = new Set([...(context.known ?? [])].map(realpath))
  const found = new Set<string>()
  for (const candidate of candidates) {
    const file = realpath(candidate)
    if (!inside(file, project) || writes.has(file) || known.has(file)) continue
    if (excluded.some((dir) => inside(file, dir))) continue
    if (path.relative(project, file).split(path.sep).some((segment) => SKIPPED_SEGMENTS.has(segment))) continue
    if (isFolder(file)) continue
    found.add(file)
  }
  return [...found].sort()
}

/**
 * Every file under `dir`, bounded, less editor junk, skipped folders and (in a git checkout) what
 * git ignores under `snippetsDir` (asked once per build: forgetIgnored()).
 */
export function folderFiles(dir: string, snippetsDir?: string): string[] {
  const files: string[] = []
  const ignored = snippetsDir === undefined ? undefined : ignoredUnder(snippetsDir)
  const walk = (current: string) => {
    let entries
    try {
      entries = readdirSync(current, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (files.length >= MAX_FOLDER_FILES) return
      const file = path.join(current, entry.name)
      if (isJunk(entry.name) || ignored?.(file, entry.isDirectory())) continue
      if (entry.isDirectory()) walk(file)
      else if (entry.isFile()) files.push(file)
    }
  }
  walk(dir)
  return files
}

/** Size and modification time of a folder's files, to tell what a run wrote there. */
export function folderState(dir: string, snippetsDir?: string): Map<string, string> {
  const state = new Map<string, string>()
  for (const file of folderFiles(dir, snippetsDir)) {
    try {
      const stat = statSync(file)
      state.set(file, `${stat.size}:${stat.mtimeMs}`)
    } catch {
      // removed meanwhile
    }
  }
  return state
}

/** What git ignores under a snippets folder, by folder, for this build (undefined: not a git checkout, or no git). */
const ignoredMemo = new Map<string, ((file: string, isDir: boolean) => boolean) | undefined>()

/** A new build asks git again (files and .gitignore may have changed since the last). */
export function forgetIgnored(): void {
  ignoredMemo.clear()
}

/**
 * Whether git ignores a file or folder under `snippetsDir`: one `git ls-files` per build (the
 * ignored folders listed whole). Not a git checkout, or no git: nothing is ignored.
 */
function ignoredUnder(snippetsDir: string): ((file: string, isDir: boolean) => boolean) | undefined {
  if (ignoredMemo.has(snippetsDir)) return ignoredMemo.get(snippetsDir)
  let test: ((file: string, isDir: boolean) => boolean) | undefined
  try {
    const listed = execFileSync('git', ['-C', snippetsDir, 'ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory', '--', '.'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, maxBuffer: 64 * 1024 * 1024,
    })
    const files = new Set<string>()
    const dirs = new Set<string>()
    for (const entry of listed.split('\0').filter(Boolean)) {
      if (entry.endsWith('/')) dirs.add(path.join(snippetsDir, entry.slice(0, -1)))
      else files.add(path.join(snippetsDir, entry))
    }
    test = (file, isDir) => (isDir ? dirs.has(file) : files.has(file))
  } catch {
    test = undefined
  }
  ignoredMemo.set(snippetsDir, test)
  return test
}

/** Files created or changed between two folder states. */
export function writtenBetween(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([file, stamp]) => before.get(file) !== stamp).map(([file]) => file)
}

/** A file's name in the header and the key: relative to the project, with `/`, spaces escaped. */
export function inputName(file: string, project: string): string {
  const relative = path.relative(realpath(project), realpath(file)).split(path.sep).join('/')
  return relative.replace(/[%\s@]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`)
}

/** The file an input name stands for. */
export function inputFile(name: string, project: string): string {
  return path.join(realpath(project), decodeURIComponent(name))
}

/** The content of an input, undefined when it is not there (then it counts as absent). */
export function inputContent(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** `name@hash` for the header (`name@-` for an absent file). */
export function inputStamp(name: string, content: Buffer | undefined): string {
  return `${name}@${content === undefined ? '-' : createHash('sha256').update(content).digest('hex').slice(0, 8)}`
}

function inside(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep)
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory()
  } catch {
    return false
  }
}

/** The real path; for a missing file, its folder's real path and its name. */
function realpath(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    const parent = path.dirname(file)
    return parent === file || !existsSync(parent) ? file : path.join(realpath(parent), path.basename(file))
  }
}
