/**
 * Run on stage: re-runs an output block's snippet on request and streams what it prints, as it
 * prints it, to every open page. Same runner, environment, limits and timeout as the build; the
 * text is normalised as stored outputs are, and shaped (tracebacks, lines, ...) once the run ends.
 * Nothing is stored: a page that opens during the session gets the runs' latest state from the
 * server (run-states.ts), and u or a restart shows the stored outputs again. A run that ends
 * otherwise than the stored output (other text, other exit status) says so with a diff.
 */
import path from 'node:path'
import { resolveInterpreter } from '../snippets/interpreters.ts'
import { rewriteOutput, runWithToolchain } from '../snippets/command-run.ts'
import { runnerOf, sourcesOf } from '../snippets/outputs.ts'
import type { RunnerSet } from '../snippets/runners.ts'
import { isMissing, resolveToolchain } from '../snippets/toolchain.ts'
import { normalizeOutput } from '../snippets/normalize.ts'
import { DEFAULT_LIMITS, runSnippet } from '../snippets/run.ts'
import { shapeOutput } from '../snippets/shape-output.ts'
import { ansiToHtml } from '../snippets/ansi-html.ts'
import stripAnsi from 'strip-ansi'
import { diffLines } from 'diff'
import type { StageBlock } from './page.ts'

export interface StageUpdate {
  type: 'run'
  /** The block's stage id (page.ts). */
  block: string
  /** The snippet, relative to the snippets folder. */
  snippet: string
  state: 'running' | 'done' | 'failed'
  text: string
  /** The text as HTML, for a coloured block (`color=true`): escaped, with colour spans. */
  html?: string
  note?: string
  /**
   * Set when the run ended otherwise than the stored output (other text, other exit status): a
   * diff of the stored output against the live one, and the exit statuses when they differ.
   */
  differs?: string
}

/** At most this often a running block's text is sent again (a flood of output stays cheap). */
const UPDATE_INTERVAL_MS = 40

export class StageRunner {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>()

  constructor(
    private readonly snippetsDir: string,
    private readonly projectDir: string,
    private readonly send: (update: StageUpdate) => void,
    /** The deck's runners (deck.config.yaml), asked for at each run: the file may change. */
    private readonly runners?: () => RunnerSet,
  ) {}

  /** Starts a run of the block's snippet; a run of the same block still going is stopped first. */
  run(block: StageBlock): void {
    this.running.get(block.id)?.controller.abort()
    const controller = new AbortController()
    const done = this.execute(block, controller.signal)
      .catch((error: unknown) => this.send({ type: 'run', block: block.id, snippet: block.request.snippet, state: 'failed', text: '', differs: '(the snippet could not run)', note: `Cannot run snippets/${block.request.snippet}: ${error instanceof Error ? error.message : String(error)}` }))
      .finally(() => {
        if (this.running.get(block.id)?.controller === controller) this.running.delete(block.id)
      })
    this.running.set(block.id, { controller, done })
  }

  /** Stops every run (their process groups are killed at once) and waits for them to end. */
  async stopAll(): Promise<void> {
    const runs = [...this.running.values()]
    for (const { controller } of runs) controller.abort()
    await Promise.all(runs.map(({ done }) => done))
  }

  private async execute(block: StageBlock, signal: AbortSignal): Promise<void> {
    const file = path.join(this.snippetsDir, block.request.snippet)
    const runner = runnerOf(block.request, file, { snippetsDir: this.snippetsDir, ...(this.runners ? { runners: this.runners() } : {}) })
    const toolchain = runner && !runner.builtin ? resolveToolchain(runner) : undefined
    const interpreter = runner?.builtin ? resolveInterpreter(runner.builtin) : undefined
    const color = block.request.kind === 'run' && block.request.color === true
    // Coloured as the build shows them: the terminal's SGR codes kept, then made HTML.
    const send = (state: StageUpdate['state'], text: string, note?: string, exit?: string) => {
      const plain = color ? stripAnsi(text) : text
      const differs = state === 'running' ? undefined : difference(block.stored, { text: plain, exit: exit ?? 'none' })
      this.send({ type: 'run', block: block.id, snippet: block.request.snippet, state, text: plain, ...(color ? { html: ansiToHtml(text) } : {}), ...(note !== undefined ? { note } : {}), ...(differs !== undefined ? { differs } : {}) })
    }
    if (toolchain && isMissing(toolchain)) return send('failed', '', `Cannot run snippets/${block.request.snippet}: the ${toolchain.runner.name} runner needs \`${toolchain.program}\`, which is not on its PATH`)
    if (!interpreter && !toolchain) return send('failed', '', `Cannot run snippets/${block.request.snippet}: no interpreter for it on this machine`)
    let replacements = interpreter?.replacements ?? []
    const normalize = async (raw: string, token: string) =>
      rewriteOutput(await normalizeOutput(raw, { snippetsDir: this.snippetsDir, projectDir: this.projectDir, replacements, secrets: [token].filter(Boolean), color }), runner?.replace ?? [])

    const chunks: Buffer[] = []
    let runToken = ''
    let timer: NodeJS.Timeout | undefined
    let lastSent = 0
    // Updates go out in order, each with all the output so far (decoded whole: a chunk may end
    // inside a multi-byte character).
    let updates = Promise.resolve()
    const flush = () => {
      timer = undefined
      lastSent = performance.now()
      const raw = Buffer.concat(chunks).toString('utf8')
      updates = updates.then(async () => send('running', await normalize(raw, runToken)))
    }
    send('running', '')
    const onOutput = (chunk: Buffer, token: string) => {
      chunks.push(chunk)
      runToken = token
      if (timer) return
      const wait = Math.max(0, UPDATE_INTERVAL_MS - (performance.now() - lastSent))
      if (wait === 0) flush()
      else timer = setTimeout(flush, wait)
    }
    let result
    if (toolchain && !isMissing(toolchain)) {
      // A command runner: built first (from the cache when the program is unchanged), then run.
      const phase = block.request.kind === 'run' ? block.request.phase : undefined
      const done = await runWithToolchain(file, this.snippetsDir, toolchain, {
        timeoutMs: block.request.timeoutMs, sources: sourcesOf(file, runner, this.snippetsDir), signal, color, onOutput, ...(phase ? { phase } : {}),
      })
      replacements = done.replacements
      result = done.result
    } else {
      result = await runSnippet(file, interpreter!, { ...DEFAULT_LIMITS, timeoutMs: block.request.timeoutMs }, { signal, color, onOutput })
    }
    if (timer) clearTimeout(timer)
    await updates
    if (result.cancelled) return
    const output = await normalize(result.output, result.token)
    const where = `snippets/${block.request.snippet}`
    if (result.timedOut) return send('failed', output, `${where} did not finish within ${block.request.timeoutMs / 1000} s: stopped`)
    if (result.truncated) return send('failed', output, `${where} printed more than 1 MiB: stopped`)
    let shaped = output
    try {
      shaped = shapeOutput(output, block.shape)
    } catch {
      // the build reported the bad shape already; show the output as it is
    }
    const exit = result.signal ?? String(result.exitCode ?? '?')
    send('done', shaped, `${where} ended with ${/^\d+$/.test(exit) ? `exit status ${exit}` : `signal ${exit}`} (${Math.round(result.durationMs)} ms)`, exit)
  }
}

/**
 * How a live run's end differs from the stored output: a line diff (`-` stored, `+` live) and a
 * line for the exit status when it differs; undefined when the two are the same.
 */
export function difference(stored: { text: string; exit: string }, live: { text: string; exit: string }): string | undefined {
  const lines: string[] = []
  if (stored.exit !== '?' && stored.exit !== live.exit) lines.push(`exit: stored ${stored.exit}, live ${live.exit === 'none' ? 'none (stopped)' : live.exit}`)
  const trim = (text: string) => text.replace(/\n+$/, '')
  if (trim(stored.text) !== trim(live.text)) {
    for (const part of diffLines(`${trim(stored.text)}\n`, `${trim(live.text)}\n`)) {
      const mark = part.added ? '+' : part.removed ? '-' : ' '
      for (const line of part.value.replace(/\n$/, '').split('\n')) lines.push(`${mark} ${line}`)
    }
  }
  return lines.length > 0 ? lines.join('\n') : undefined
}
