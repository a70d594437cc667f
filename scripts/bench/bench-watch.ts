/**
 * A speaker's save while a watcher runs, for `npm run bench`: `npm run build -- --html --watch` on
 * a copy of the deck against `marp --watch` on the same Marp Markdown. Both watchers run side by
 * side; the edits alternate between them (load hits both alike). Each edit changes the last frame
 * title, and the time runs until the watcher's HTML holds the new title: the watcher's own wait
 * for quiet (ours: 20 ms) and its build included. An edit is written whole (a new file renamed over
 * the old, as many editors save): `marp --watch` converts on the first event of a write in place,
 * may read the file half written, and then misses the rest of it (seen under load: a save lost).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { median } from './median.ts'

export interface WatchSaves {
  oursMs: number
  bareMs: number
  detail: string
}

interface Watcher {
  /** Writes the edit numbered `edit` and waits until the HTML shows it; the time in ms. */
  save(edit: number): Promise<number>
  stop(): void
}

const POLL_MS = 5
const TIMEOUT_MS = 30_000
/** What the edit numbered `edit` adds to the last title, and the watcher's HTML then holds. */
const marker = (edit: number) => `(edit ${edit}x)`


/** `text` into `file` at once (written beside it, renamed over it). */
function writeWhole(file: string, text: string): void {
  const scratch = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  writeFileSync(scratch, text)
  renameSync(scratch, file)
}

/** The output's modification time, or 0 while it is missing (a build replaces it whole). */
function modified(file: string): number {
  try {
    return statSync(file).mtimeMs
  } catch {
    return 0
  }
}

/** Resolves once `file` holds `marker` (read again only after it changed). */
async function showsMarker(file: string, marker: string, child: ChildProcess, log: () => string): Promise<void> {
  const started = performance.now()
  let seen = -1
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the watcher ended (exit ${child.exitCode}):\n${log()}`)
    if (performance.now() - started > TIMEOUT_MS) throw new Error(`the watcher's HTML did not show \`${marker}\` within ${TIMEOUT_MS / 1000} s:\n${log()}`)
    const time = modified(file)
    if (time !== seen) {
      seen = time
      try {
        if (readFileSync(file, 'utf8').includes(marker)) return
      } catch {
        // replaced while read: looked at again
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/**
 * Starts `command args` (a watcher of `source`, writing `html`) once `source` holds the edit 0,
 * and waits for its first HTML.
 */
async function startWatcher(command: string, args: string[], cwd: string, source: string, html: string, edited: (edit: number) => string): Promise<Watcher> {
  writeWhole(source, edited(0))
  rmSync(html, { force: true })
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  let output = ''
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output = (output + text).slice(-4000)))
  const log = () => output
  await showsMarker(html, marker(0), child, log)
  return {
    async save(edit) {
      const started = performance.now()
      writeWhole(source, edited(edit))
      await showsMarker(html, marker(edit), child, log)
      return performance.now() - started
    },
    stop: () => void child.kill('SIGINT'),
  }
}

/**
 * `ours`: the deck copy, the launcher and its build arguments; `bare`: the Marp Markdown copy and
 * marp-cli's arguments. `edited(text, mark)`: the text with `mark` after its last title.
 */
export async function benchWatchSaves(
  ours: { deck: string; source: string; launcher: string; out: string },
  bare: { markdown: string; source: string; marpCli: string; args: string[]; out: string },
  edited: (text: string, marker: string) => string,
  runs: number,
): Promise<WatchSaves> {
  const watchers: Watcher[] = []
  try {
    const oursHtml = path.join(ours.out, `${path.basename(ours.deck, '.md')}.html`)
    const mark = (text: string) => (edit: number) => edited(text, marker(edit))
    watchers.push(
      await startWatcher(process.execPath, [ours.launcher, 'deck', 'build', ours.deck, '--html', '--allow-overflow', '--quiet', '--out', ours.out, '--watch'], path.dirname(ours.launcher), ours.deck, oursHtml, mark(ours.source)),
    )
    watchers.push(await startWatcher(process.execPath, [bare.marpCli, bare.markdown, ...bare.args, '--watch', '-o', bare.out], path.dirname(bare.markdown), bare.markdown, bare.out, mark(bare.source)))
    const samples: [number[], number[]] = [[], []]
    // A save after the watchers' first builds have settled; each edit a new title.
    for (let round = 1; round <= runs; round++) {
      for (const [index, watcher] of watchers.entries()) {
        await new Promise((resolve) => setTimeout(resolve, 300))
        samples[index as 0 | 1].push(await watcher.save(round))
      }
    }
    const [oursMs, bareMs] = samples.map(median) as [number, number]
    return { oursMs, bareMs, detail: `ours ${samples[0].map(Math.round).join(', ')} ms; bare marp ${samples[1].map(Math.round).join(', ')} ms` }
  } finally {
    for (const watcher of watchers) watcher.stop()
  }
}
