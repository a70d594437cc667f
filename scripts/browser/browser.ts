/**
 * The one browser of a build. Every machine should render and measure with the same Chromium, so
 * the order is: `CHROME_PATH`; on Linux x64/arm64 the Chromium pinned through the optional npm
 * package @sparticuz/chromium; a system Chrome/Chromium only where the pinned one cannot run
 * (macOS, Windows, other CPUs, or the package missing). Found once per process, started at most
 * once per process (the fit check and the PDF share it, and so do the builds of one process: the
 * dev server's, the tests' in-process commands; each takes a page of its own and closes it), closed
 * by closeBrowser().
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type { Browser as PuppeteerBrowser } from 'puppeteer-core'
import { chromiumFlags, connectOverPipe } from './puppeteer-coupling.ts'

export interface BrowserChoice {
  path: string
  source: 'CHROME_PATH' | 'pinned' | 'system'
}

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

/** Where the pinned Chromium runs: @sparticuz/chromium ships Linux builds for these CPUs only. */
const PINNED_PLATFORM = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64')

export class BrowserNotFoundError extends Error {
  override name = 'BrowserNotFoundError'
}

let found: Promise<BrowserChoice> | undefined

export function findBrowser(): Promise<BrowserChoice> {
  found ??= locate()
  return found
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function locate(): Promise<BrowserChoice> {
  const fromEnv = process.env.CHROME_PATH
  if (fromEnv) {
    if (executable(fromEnv)) return { path: fromEnv, source: 'CHROME_PATH' }
    throw new BrowserNotFoundError(`CHROME_PATH is \`${fromEnv}\`, which is not an executable file`)
  }
  let reason = PINNED_PLATFORM ? 'the optional package @sparticuz/chromium is not installed' : `no pinned Chromium for ${process.platform}-${process.arch}`
  if (PINNED_PLATFORM) {
    // The pinned Chromium unpacks itself into the temporary folder: one that cannot be written is
    // the cause to name, not the installation.
    const unwritable = unwritableTmpdir()
    if (unwritable) throw new BrowserNotFoundError(unwritable)
    // Unpacked already: the path the package's executablePath() gives then (test/contracts.test.ts),
    // without loading the package (~35 ms at the start of every build that measures).
    const unpacked = path.join(os.tmpdir(), 'chromium')
    if (pinnedInstalled() && executable(unpacked)) return { path: unpacked, source: 'pinned' }
    try {
      const { default: chromium } = await import('@sparticuz/chromium')
      return { path: await chromium.executablePath(), source: 'pinned' }
    } catch (error) {
      if (!/Cannot find (module|package)/.test(String(error))) reason = String(error)
    }
  }
  const system = SYSTEM_PATHS.find(executable)
  if (system) return { path: system, source: 'system' }
  throw new BrowserNotFoundError(
    `No browser to measure the slides and print the PDF (${reason}): run \`npm install\` so that the ` +
      `optional package @sparticuz/chromium is there, set CHROME_PATH, or install Chrome/Chromium`,
  )
}

/** Whether the optional package @sparticuz/chromium is installed (resolved, not loaded). */
function pinnedInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@sparticuz/chromium')
    return true
  } catch {
    return false
  }
}

/** Why the temporary folder (TMPDIR) cannot be written, undefined when it can. */
export function unwritableTmpdir(): string | undefined {
  const dir = os.tmpdir()
  try {
    rmSync(mkdtempSync(path.join(dir, 'deck-probe-')), { recursive: true, force: true })
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : code === 'EROFS' ? 'is on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'is read-only' : `cannot be written (${code})`
    return `The temporary folder \`${dir}\` (TMPDIR) ${why}: the browser that measures the slides and prints the PDF keeps its profile there (and the pinned Chromium unpacks itself there); set TMPDIR to a writable folder (or unset it)`
  }
}

/** Chromium's flags for a headless run (also as root) on a machine with no network beyond loopback. */
const HEADLESS_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--no-first-run',
  '--font-render-hinting=none',
  '--hide-scrollbars',
  '--mute-audio',
]

/**
 * Starts a browser of its own (tests, screenshots). puppeteer gives it a temporary profile and
 * removes it on close().
 */
export async function launchBrowser(): Promise<PuppeteerBrowser> {
  const { default: puppeteer } = await import('puppeteer-core')
  const { path: executablePath } = await findBrowser()
  return puppeteer.launch({ executablePath, headless: true, args: HEADLESS_ARGS, protocolTimeout: 300_000 })
}

let shared: Promise<PuppeteerBrowser> | undefined
/** The shared browser's profile: ours, so that it can go synchronously when the build is interrupted. */
let profile: string | undefined
let sharedProcess: ChildProcess | undefined
let sharedExit: Promise<void> | undefined

/**
 * The process's one browser, started on first use: Chromium is spawned with puppeteer's flags (in
 * a process group of its own, as puppeteer does, so that it goes whole) and puppeteer connects
 * through the DevTools pipe (browser/puppeteer-coupling.ts). `singleProcess` (for a start): its
 * pages in the browser's own process (`--single-process`, as @sparticuz/chromium runs by default),
 * for a command that opens one page at a time (an HTML build's fit check): no renderer, GPU or
 * utility processes to start, its first page loaded 30-40 ms sooner for 50 ms less CPU. Not for
 * pages side by side (a PDF's groups): they would share one renderer thread; nor for a browser
 * that outlives its build (`--watch`): it keeps what each closed page took.
 */
export function sharedBrowser(options: { singleProcess?: boolean } = {}): Promise<PuppeteerBrowser> {
  // One that has ended (crashed, killed) is not handed to the next build: a new one starts.
  if (shared && sharedProcess && (sharedProcess.exitCode !== null || sharedProcess.signalCode !== null)) forgetEnded()
  if (shared) return shared
  // `let`: read inside the function, after its first await
  let starting: Promise<PuppeteerBrowser> | undefined
  starting = (async () => {
    const [{ path: executablePath }, flags] = await Promise.all([findBrowser(), chromiumFlags()])
    // closeBrowser() came first (an early error): nothing is started.
    if (shared !== starting) throw new BrowserNotFoundError('the build ended before its browser started')
    removeOrphanProfiles()
    // Any browser (CHROME_PATH, a system one) keeps its profile there: the cause to name.
    const unwritable = unwritableTmpdir()
    if (unwritable) throw new BrowserNotFoundError(unwritable)
    profile = mkdtempSync(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`))
    // Its temporary files (shared memory, `.org.chromium.Chromium.*`) in the profile too: killed
    // (closeBrowser) while it writes one, it cannot remove it, and the profile goes whole.
    const scratch = path.join(profile, 'tmp')
    mkdirSync(scratch)
    const child = spawn(executablePath, flags(profile, [...HEADLESS_ARGS, ...(options.singleProcess ? ['--single-process'] : []), '--remote-debugging-pipe']), {
      detached: process.platform !== 'win32',
      env: { ...process.env, TMPDIR: scratch },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    })
    sharedProcess = child
    const logs: string[] = []
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      logs.push(text)
      if (logs.length > 50) logs.shift()
    })
    // The browser's end (its output read to the end), or why it could not start: the connection
    // below fails with it.
    const failed = new Promise<never>((_, reject) => {
      const fail = (why: string) => reject(new Error(`Failed to launch the browser process: ${why}\n${logs.join('').trim()}`))
      child.once('error', (error) => fail(error.message))
      child.once('close', (code, signal) => fail(signal ? `killed by ${signal}` : `exit code ${code}`))
    })
    failed.catch(() => undefined)
    sharedExit = new Promise((resolve) => {
      child.once('close', () => resolve())
      child.once('error', () => resolve())
    })
    process.once('exit', killBrowserNow)
    const [pipeWrite, pipeRead] = [child.stdio[3], child.stdio[4]] as [NodeJS.WritableStream, NodeJS.ReadableStream]
    try {
      return await Promise.race([connectOverPipe(pipeWrite, pipeRead, 300_000), failed])
    } catch (error) {
      // A browser that died while starting closes the pipe first: its exit and output say why.
      return await Promise.race([failed, new Promise<never>((_, reject) => setTimeout(() => reject(error), 1000))])
    }
  })()
  shared = starting
  return starting
}

/**
 * Ends the shared browser if one was started, and removes its profile. Killed, not closed: a
 * graceful close only writes the profile that is removed next (and a browser still starting, after
 * an early error, may not answer one).
 */
export async function closeBrowser(): Promise<void> {
  const [browser, child, exited] = [shared, sharedProcess, sharedExit]
  shared = undefined
  sharedProcess = undefined
  sharedExit = undefined
  browser?.catch(() => undefined)
  if (child && exited) {
    killGroup(child)
    await exited
  }
  process.removeListener('exit', killBrowserNow)
  removeProfile()
}

function forgetEnded(): void {
  if (sharedProcess) killGroup(sharedProcess) // what is left of its process group
  shared?.catch(() => undefined)
  shared = undefined
  sharedProcess = undefined
  sharedExit = undefined
  process.removeListener('exit', killBrowserNow)
  removeProfile()
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL')
    else child.kill('SIGKILL')
  } catch {
    // gone already
  }
}

/** For an interrupted build (synchronous: the process exits right after): the browser and its profile go. */
export function killBrowserNow(): void {
  if (sharedProcess) killGroup(sharedProcess)
  removeProfile()
}

const PROFILE_PREFIX = 'deck-chromium-'

/** Profiles of builds that were killed (their process is gone): removed by the next build. */
function removeOrphanProfiles(): void {
  try {
    for (const name of readdirSync(os.tmpdir())) {
      const pid = Number(/^deck-chromium-(\d+)-/.exec(name)?.[1])
      if (!pid || pid === process.pid || processAlive(pid)) continue
      rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true })
    }
  } catch {
    // another build removes it, or the folder is not ours to read
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function removeProfile(): void {
  try {
    if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 })
  } catch {
    // still in use by a dying process: removeOrphanProfiles() takes it with the next build
  }
  profile = undefined
}

/** "HeadlessChrome/143.0.7499.0 (pinned)": what the build says it used, and part of cache keys. */
export async function browserDescription(): Promise<string> {
  const choice = await findBrowser()
  const version = await (await sharedBrowser()).version()
  return `${version} (${choice.source === 'pinned' ? '@sparticuz/chromium' : choice.source === 'system' ? choice.path : `CHROME_PATH ${choice.path}`})`
}

/**
 * Identifies the browser build without starting it (a cache key part): the pinned package's
 * version, or the executable's path, size and modification time.
 */
export async function browserIdentity(): Promise<string> {
  const choice = await findBrowser()
  if (choice.source === 'pinned') {
    // The package exports no package.json: found from its entry point.
    const { createRequire } = await import('node:module')
    const { readFileSync } = await import('node:fs')
    const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium')
    const manifest = entry.slice(0, entry.lastIndexOf('/build/')) + '/package.json'
    return `@sparticuz/chromium@${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}`
  }
  const { statSync } = await import('node:fs')
  const stat = statSync(choice.path)
  return `${choice.path}:${stat.size}:${stat.mtimeMs}`
}
