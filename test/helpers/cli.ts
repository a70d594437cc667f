/**
 * Runs the toolchain's CLI as a user would. `runCli`: in this process, from the bundle the command
 * line runs (scripts/launch.mjs; its cli/deck.ts runDeck), without a Node start per command, the
 * builds of a test worker sharing one browser. `runCliProcess`: `node scripts/launch.mjs deck ...` in
 * a child process, for tests whose subject is the process itself (its exit on a signal, what it
 * leaves running, an environment it reads once, the launcher) and a few plain builds end to end.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectRoot } from '../../scripts/core/paths.ts'
import type { closeBrowser, runDeck, sharedBrowser } from '../../scripts/cli/deck.ts'
import { captureOutput } from './output-capture.ts'
import { atWorkerEnd } from './worker-end.ts'

export { projectRoot }
/**
 * The public decks and pandoc + beamer renders beside the project (`../shared`, read-only). A test
 * that needs them says what is missing, instead of failing on some unrelated error.
 */
export const sharedDir = path.resolve(projectRoot, '..', 'shared')
export function shared(...parts: string[]): string {
  const file = path.join(sharedDir, ...parts)
  if (!existsSync(file)) {
    throw new Error(`This test reads \`${path.join('..', 'shared', ...parts)}\` (the corpus and reference renders beside the project), which is missing: expected at ${file}`)
  }
  return file
}
export const seedDeck = path.join(sharedDir, 'corpus', 'pandoc-beamer', '00-seed_m-hegele_asyncio.md')

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
}

/** The suite itself may run under CI=true or `npm run`: a test opts into those by saying so. */
const NEUTRAL_ENV: NodeJS.ProcessEnv = { CI: '', npm_lifecycle_event: '', npm_config_force: '' }

/**
 * What a process reads once and keeps (the browser found and started, what the temporary folder
 * is): a command that sets one of these runs in a child process (runCliProcess).
 */
const READ_ONCE = ['CHROME_PATH', 'TMPDIR', 'TMP', 'TEMP']

interface DeckModule {
  runDeck: typeof runDeck
  closeBrowser: typeof closeBrowser
  sharedBrowser: typeof sharedBrowser
}

let bundled: Promise<DeckModule> | undefined

/** Node's own import() (vitest would run an .mjs file of the project through its transform). */
const nativeImport = createRequire(import.meta.url)('./native-import.cjs') as (url: string) => Promise<unknown>

/**
 * The command line's module as scripts/launch.mjs bundles it (built if need be), imported by Node
 * as the command line imports it: marp-cli imports the bundle's engine.mjs beside it, which must
 * share the build's modules (its highlighted code, one highlighter).
 */
function deckModule(): Promise<DeckModule> {
  bundled ??= (async () => {
    const { outDir } = (await nativeImport(pathToFileURL(path.join(projectRoot, 'scripts', 'launch.mjs')).href)) as { outDir: string }
    const deck = (await nativeImport(pathToFileURL(path.join(outDir, 'deck.mjs')).href)) as DeckModule
    // The browser the worker's in-process builds share ends with the worker.
    atWorkerEnd(() => deck.closeBrowser())
    return deck
  })()
  return bundled
}

/** The browser the worker's in-process builds share (started if need be), for the tests' own pages. */
export async function deckBrowser(): ReturnType<typeof sharedBrowser> {
  return (await deckModule()).sharedBrowser()
}

let running = false

/**
 * Runs `deck <args>` in this process, as the command line would in `cwd` with `env` added to the
 * environment (both restored after it), and returns its exit status and what it printed. The
 * browser a build starts stays open for the worker's next build (of any of its files) and ends
 * with the worker. One command at a time: the working folder and the environment are the process's.
 */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = { ...NEUTRAL_ENV, ...options.env }
  const readOnce = Object.keys(env).filter((name) => READ_ONCE.includes(name))
  if (readOnce.length > 0) throw new Error(`runCli: ${readOnce.join(', ')} is read once per process: run this command with runCliProcess`)
  const { runDeck } = await deckModule()
  if (running) throw new Error('runCli: a command is already running in this process (its working folder and environment are the process\'s): await it first')
  running = true
  const cwd = process.cwd()
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  const output = captureOutput()
  try {
    process.chdir(options.cwd ?? projectRoot)
    setEnv(env)
    const status = await runDeck(args)
    return { status, ...output.text() }
  } finally {
    output.stop()
    setEnv(saved)
    process.chdir(cwd)
    running = false
  }
}

function setEnv(values: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}

/**
 * Runs the CLI in a child process without blocking the test worker (a build takes seconds, and
 * vitest's worker must keep answering meanwhile: a blocking spawnSync made it time out).
 */
export function runCliProcess(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'launch.mjs'), 'deck', ...args], {
      cwd: options.cwd ?? projectRoot,
      env: { ...process.env, ...NEUTRAL_ENV, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
    const done = (status: number | null) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    }
    child.on('error', reject)
    child.on('close', done)
    // A process the command left holding its stderr does not hang the test: the test's own checks
    // name it (markedProcesses).
    child.on('exit', (status) => setTimeout(() => done(status), 5_000).unref())
  })
}
