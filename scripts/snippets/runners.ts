/**
 * Runners as data: what runs a snippet of each language. Python, shell, Node and TypeScript are
 * built in (interpreters.ts: their environment and keys as they always were); every other
 * language is a command runner, a few lines of data: optional build steps into a scratch folder,
 * the run command, the command that prints the toolchain's version (part of the output's key),
 * the comment token of region markers, the files that belong to a snippet. The presets below are
 * overridden, field by field, and new runners added in `deck.config.yaml` (runner-config.ts).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { RunnerName } from './languages.ts'

export interface ImportRule {
  /** A regular expression (multiline) whose first group names a file the snippet pulls in. */
  pattern: string
  /** Where that file is, relative to the importing file: `$1` is the group (`$1.rs`, `$1/mod.rs`). */
  files: string[]
}

export interface Diagnostics {
  /** The first line of any diagnostic (error or warning): where a kept error ends. */
  start: string
  /** The first line of an error: `traceback=short` keeps the first from here. */
  error: string
}

export interface RunnerSpec {
  name: string
  /** File extensions it runs (`.rs`), lower case with the dot. */
  extensions: string[]
  /** A file found in the snippet's folder or above (inside the snippets folder) that selects this runner (`Cargo.toml`); its folder is the root. */
  project?: string
  /** The code fence language of its files (Shiki's name: `rust`). */
  language: string
  /** The line-comment token region markers use. */
  comment: string
  /** Shell commands run in order before the run, in the root folder, `{build}` their scratch folder. */
  build: string[]
  /** The shell command that runs the snippet, in the root folder. Empty for a built-in runner. */
  run: string
  /** A shell command whose first line of output is the toolchain's version (part of the key). */
  version: string
  /** Globs (relative to the root) of files that belong to the snippet: part of its key. */
  sources: string[]
  imports: ImportRule[]
  /** Folders put before the pinned PATH (`$HOME/.cargo/bin`); `$NAME` and `~` are expanded. */
  path: string[]
  /** Environment variables set for the build and the run; `$NAME`, `${NAME:-default}`, `{cache}` expanded. */
  env: Record<string, string>
  /** Default timeout of a run in seconds. */
  timeout: number
  /** Seconds a build step may take. */
  buildTimeout: number
  diagnostics?: Diagnostics
  /** Output rewrites after normalisation, `REGEX=>TEXT` (as the block option `replace`): what varies from run to run. */
  replace: string[]
  /** Set for the four runners implemented in code (interpreters.ts). */
  builtin?: RunnerName
  /**
   * A runner of deck.config.yaml that declares nothing of its files (no `from`, `sources`,
   * `imports`): its snippet's whole folder stands for what its run reads (reads.ts), as for a shell script.
   */
  wholeFolder?: boolean
}

const BASE = { build: [], run: '', version: '', sources: [], imports: [], path: [], env: {}, timeout: 10, buildTimeout: 120, replace: [] }

const GCC_DIAGNOSTICS: Diagnostics = {
  start: '^[^\\s:][^:]*:(?:\\d+:)*\\s*(?:fatal error|error|warning|In function|In member function|At top level)',
  error: '^[^\\s:][^:]*:\\d+:\\d+: (?:fatal )?error:',
}
const RUST_DIAGNOSTICS: Diagnostics = { start: '^(?:error|warning)(?:\\[\\w+\\])?:', error: '^error(?:\\[\\w+\\])?:' }
const C_INCLUDES: ImportRule[] = [{ pattern: '^\\s*#\\s*include\\s*"([^"]+)"', files: ['$1'] }]
const RUST_MODULES: ImportRule[] = [{ pattern: '^\\s*(?:pub(?:\\([^)]*\\))?\\s+)?mod\\s+(\\w+)\\s*;', files: ['$1.rs', '$1/mod.rs'] }]
const GO_ENV = { GOCACHE: '{cache}/go-build', GOPATH: '{cache}/gopath', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' }
/** Where go.dev's archive installs Go (Debian's golang-go puts `go` in /usr/bin). */
const GO_PATH = ['/usr/local/go/bin']
/** A panic's frames in the standard library name Go's own folder, which differs between machines. */
const GO_REPLACE = ['(?:/usr/lib/go-[\\d.]+|/usr/lib/go|/usr/local/go)/src/=><goroot>/src/']
const GO_DIAGNOSTICS: Diagnostics = { start: '^(?:# |\\S+\\.go:\\d+:\\d+: )', error: '^\\S+\\.go:\\d+:\\d+: ' }
const CARGO_PATH = ['$HOME/.cargo/bin']
/** Rust names a panicking thread by its OS id (`thread 'main' (15446) panicked`): a new one each run. */
const RUST_REPLACE = ["^(thread '[^']*') \\(\\d+\\) panicked=>$1 (<tid>) panicked"]
/** C's stdio buffers a pipe's output whole: line by line, as on a terminal (Linux's stdbuf). */
const LINE_BUFFERED = 'stdbuf -oL'

/** The presets, in the order a file's runner is looked for (a project runner before the plain one). */
export const PRESETS: RunnerSpec[] = [
  { ...BASE, name: 'python', extensions: ['.py'], language: 'python', comment: '#', builtin: 'python' },
  { ...BASE, name: 'sh', extensions: ['.sh'], language: 'sh', comment: '#', builtin: 'sh' },
  { ...BASE, name: 'node', extensions: ['.js', '.mjs', '.cjs'], language: 'javascript', comment: '//', builtin: 'node' },
  { ...BASE, name: 'typescript', extensions: ['.ts'], language: 'typescript', comment: '//', builtin: 'node-ts' },
  {
    ...BASE, name: 'c', extensions: ['.c'], language: 'c', comment: '//',
    build: ['cc -std=c17 -Wall -MMD -MF {build}/deps.d -o {build}/prog {file}'], run: `${LINE_BUFFERED} {build}/prog`, version: 'cc --version',
    sources: ['*.h'], imports: C_INCLUDES, diagnostics: GCC_DIAGNOSTICS,
  },
  {
    ...BASE, name: 'cpp', extensions: ['.cpp', '.cc', '.cxx'], language: 'cpp', comment: '//',
    build: ['c++ -std=c++20 -Wall -MMD -MF {build}/deps.d -o {build}/prog {file}'], run: `${LINE_BUFFERED} {build}/prog`, version: 'c++ --version',
    sources: ['*.h', '*.hpp'], imports: C_INCLUDES, diagnostics: GCC_DIAGNOSTICS,
  },
  {
    ...BASE, name: 'cargo', extensions: ['.rs'], project: 'Cargo.toml', language: 'rust', comment: '//', path: CARGO_PATH,
    build: ['cargo build --quiet --offline --target-dir {build}'], run: 'cargo run --quiet --offline --target-dir {build}',
    version: 'cargo --version', sources: ['Cargo.toml', 'Cargo.lock', 'build.rs', 'src/**/*.rs'], diagnostics: RUST_DIAGNOSTICS,
    env: { CARGO_TERM_PROGRESS_WHEN: 'never' }, replace: RUST_REPLACE,
  },
  {
    ...BASE, name: 'rust', extensions: ['.rs'], language: 'rust', comment: '//', path: CARGO_PATH,
    build: ['rustc --edition 2021 --emit=dep-info={build}/deps.d,link={build}/prog {file}'], run: '{build}/prog', version: 'rustc --version',
    imports: RUST_MODULES, diagnostics: RUST_DIAGNOSTICS, replace: RUST_REPLACE,
  },
  {
    ...BASE, name: 'go-module', extensions: ['.go'], project: 'go.mod', language: 'go', comment: '//', path: GO_PATH, env: GO_ENV,
    build: ['go build -o {build}/prog .'], run: '{build}/prog', version: 'go version',
    sources: ['go.mod', 'go.sum', '**/*.go'], diagnostics: GO_DIAGNOSTICS, replace: GO_REPLACE,
  },
  {
    ...BASE, name: 'go', extensions: ['.go'], language: 'go', comment: '//', path: GO_PATH, env: GO_ENV,
    build: ['go build -o {build}/prog {file}'], run: '{build}/prog', version: 'go version', diagnostics: GO_DIAGNOSTICS, replace: GO_REPLACE,
  },
  // The JVM starts slowly, the source launcher compiles first: 30 s.
  { ...BASE, name: 'java', extensions: ['.java'], language: 'java', comment: '//', run: 'java {file}', version: 'java -version', timeout: 30 },
  {
    // Chosen with `runner=javac`: every .java file of the folder (a package) compiled, the snippet's class run.
    ...BASE, name: 'javac', extensions: [], language: 'java', comment: '//',
    build: ['javac -d {build} *.java'],
    run: 'java -cp {build} "$(sed -n \'s/^package \\([A-Za-z0-9_.]*\\);.*/\\1./p\' {file})"{name}',
    version: 'javac -version', sources: ['*.java'], timeout: 30,
    diagnostics: { start: '^\\S+\\.java:\\d+: (?:error|warning):|^\\d+ (?:error|warning)s?$', error: '^\\S+\\.java:\\d+: error:' },
  },
  {
    ...BASE, name: 'ruby', extensions: ['.rb'], language: 'ruby', comment: '#', run: 'ruby {file}', version: 'ruby --version',
    env: { RUBYOPT: '-r{support}/line-buffered.rb' },
  },
  {
    ...BASE, name: 'perl', extensions: ['.pl'], language: 'perl', comment: '#', run: 'perl {file}', version: 'perl -e \'print "perl $^V\\n"\'',
    env: { PERL5LIB: '{support}', PERL5OPT: '-MDeckLineBuffered' },
  },
]

/** The runners of a deck: the presets with the configuration's changes, in lookup order. */
export class RunnerSet {
  private readonly byName: Map<string, RunnerSpec>

  constructor(readonly runners: RunnerSpec[]) {
    this.byName = new Map(runners.map((runner) => [runner.name, runner]))
  }

  named(name: string): RunnerSpec | undefined {
    return this.byName.get(name)
  }

  /**
   * The runner of a snippet file: the one named, else the first whose extension it has and whose
   * project file (if it needs one) is in its folder or above, up to `snippetsDir`.
   */
  forFile(file: string, snippetsDir?: string): RunnerSpec | undefined {
    const extension = path.extname(file).toLowerCase()
    for (const runner of this.runners) {
      if (!runner.extensions.includes(extension)) continue
      if (runner.project && !projectRoot(file, runner.project, snippetsDir)) continue
      return runner
    }
    return undefined
  }

  extensions(): string[] {
    return [...new Set(this.runners.flatMap((runner) => runner.extensions))]
  }

  /**
   * Whether a file is a program's source for some runner, never a data file (reads.ts): an
   * extension a runner claims, a C or C++ header, a project file (`Cargo.toml`, `go.mod`) or its lock.
   */
  isSource(file: string): boolean {
    this.claimed ??= new Set([...this.extensions(), ...HEADER_EXTENSIONS])
    this.projectFiles ??= new Set([...this.runners.flatMap((runner) => (runner.project ? [runner.project] : [])), ...LOCK_FILES])
    return this.claimed.has(path.extname(file).toLowerCase()) || this.projectFiles.has(path.basename(file))
  }

  private claimed: Set<string> | undefined
  private projectFiles: Set<string> | undefined
}

/** Headers: a C or C++ program's sources without a runner of their own. */
const HEADER_EXTENSIONS = ['.h', '.hh', '.hpp', '.hxx', '.inl']
const LOCK_FILES = ['Cargo.lock', 'go.sum', 'go.work']

/** The folder holding `marker` at the file's folder or above, not above `limit`. */
export function projectRoot(file: string, marker: string, limit?: string): string | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, marker))) return dir
    if ((limit && path.resolve(dir) === path.resolve(limit)) || path.dirname(dir) === dir) return undefined
  }
}

/** The folder a runner works in for a file: its project's, else the file's own. */
export function rootOf(runner: RunnerSpec, file: string, snippetsDir?: string): string {
  return (runner.project && projectRoot(file, runner.project, snippetsDir)) || path.dirname(path.resolve(file))
}

export const DEFAULT_RUNNERS = new RunnerSet(PRESETS)
