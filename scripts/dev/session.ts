/**
 * The dev server's builds, in one warm process: the deck goes through the build's own stages
 * (build/stages.ts: prepareDeck -> deckToMarp -> deckRenderer -> the fit check, reportOverflows) on every change. Builds run one at a
 * time; a change while one runs aborts it (its snippet runs are stopped) and the newest wins.
 * A good build replaces the page; a failed one leaves the last good page and reports the error.
 * The fit check runs after the new page is out (it needs a browser, the slowest part), and its
 * verdict arrives as an error when a slide does not fit.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { VFile } from 'vfile'
import { VFileMessage } from 'vfile-message'
import { deckToMarp } from '../marp/markdown.ts'
import type { Deck } from '../slides/deck-model.ts'
import { deckRenderer, headlineOf, prepareDeck, reportOverflows, slideSize } from '../build/stages.ts'
import { formatMessages, hasErrors } from '../core/report.ts'
import { commitSnippetOutputs } from '../snippets/commit.ts'
import { prepareThemes } from '../render/theme.ts'
import { patchOutputs } from './output-patch.ts'
import { devPage, type DevPage } from './page.ts'
import { changedSlides, slideSections } from './patch.ts'
import { timingsWanted } from '../core/timings.ts'

/** The wait between a new page going out and its fit check (which starts a browser). */
const FIT_CHECK_DELAY_MS = 300

/**
 * `slides`: the new markup of the slides that changed since page `base`, for a page showing that
 * one to swap in place; without it (or on another page), pages reload.
 */
export type SessionEvent = { type: 'reload'; version: number; base?: number; slides?: Array<{ index: number; html: string }> } | { type: 'error'; message: string | null }

export interface SessionOptions {
  deckPath: string
  themeDir: string
  /** A scratch folder of the session's own. */
  scratch: string
  allowOverflow: boolean
  /** The command's settings for the page's client (they win over the deck's front matter). */
  client?: { showErrors?: boolean | undefined; talkLength?: number | undefined }
  log: (text: string) => void
  emit: (event: SessionEvent) => void
}

export class DevSession {
  /** The number of the page being served (0: none yet). */
  version = 0
  page: DevPage | undefined
  /** The errors of the newest build, as the terminal shows them (null: it is good). */
  error: string | null = null
  /** Files the newest build read (for the watcher). */
  inputs: string[] = []
  private marpHtml = ''
  /** The newest good render and what it was made from (for patching outputs in, output-patch.ts). */
  private rendered: { key: string; markdown: string; html: string } | undefined
  /** The fit check's verdict for the page being served. */
  private fitError: string | undefined
  private current: { controller: AbortController; done: Promise<void> } | undefined
  private fitChecks: Promise<void> = Promise.resolve()
  private closed = false

  constructor(private readonly options: SessionOptions) {
    mkdirSync(options.scratch, { recursive: true })
  }

  /** Builds again; a build still running is aborted first. Resolves when this build is over. */
  rebuild(): Promise<void> {
    this.current?.controller.abort()
    const controller = new AbortController()
    const previous = this.current?.done ?? Promise.resolve()
    const done = previous.then(() => (controller.signal.aborted || this.closed ? undefined : this.build(controller.signal)))
    this.current = { controller, done }
    return done
  }

  /** Resolves once no build and no fit check is running or queued. */
  async idle(): Promise<void> {
    for (;;) {
      const current = this.current?.done
      const checks = this.fitChecks
      await Promise.all([current, checks])
      if (current === this.current?.done && checks === this.fitChecks) return
    }
  }

  /** Stops building: the running build is aborted and its snippet processes are killed at once. */
  abort(): void {
    this.closed = true
    this.current?.controller.abort()
    // Also here, not only in close(): on Ctrl-C the browser library may end the process next.
    rmSync(this.options.scratch, { recursive: true, force: true })
  }

  /** Aborts the running build and waits for the work to end. */
  async close(): Promise<void> {
    this.abort()
    await this.current?.done
    await this.fitChecks
    rmSync(this.options.scratch, { recursive: true, force: true })
  }

  private async build(signal: AbortSignal): Promise<void> {
    const { deckPath, log } = this.options
    const started = performance.now()
    const file = new VFile({ path: path.relative(process.cwd(), deckPath) || deckPath })
    let deck: Deck | undefined
    let html: string | undefined
    let rendered: { key: string; markdown: string; html: string } | undefined
    // `DECK_TIMINGS=1`: where a rebuild spends its time, as the build's stopwatch (pipeline.ts).
    const lap = (what: string) => {
      if (timingsWanted()) log(`  ${(performance.now() - started).toFixed(0)} ms  ${what}`)
    }
    try {
      file.value = readFileSync(deckPath, 'utf8')
      deck = await prepareDeck(file, 'reuse', signal)
      lap('prepareDeck')
      signal.throwIfAborted()
      const markdown = deckToMarp(deck, { markOutputs: true })
      const headline = headlineOf(deck)
      // What the page depends on besides the Markdown: the theme as it is now, the headline.
      const renderKey = JSON.stringify([prepareThemes(this.options.themeDir, { fonts: false }), headline]) // the folder render() uses
      lap('deckToMarp')
      html = this.rendered?.key === renderKey ? patchOutputs(this.rendered, markdown) : undefined
      if (html === undefined) {
        const input = path.join(this.options.scratch, 'deck.md')
        const output = path.join(this.options.scratch, 'deck.html')
        writeFileSync(input, markdown)
        await (await deckRenderer(deck, this.options.themeDir))({ input, output })
        signal.throwIfAborted()
        html = readFileSync(output, 'utf8')
        lap('Marp render')
      } else {
        lap('outputs patched in')
      }
      rendered = { key: renderKey, markdown, html }
    } catch (error) {
      if (signal.aborted) return
      if (!(error instanceof VFileMessage)) {
        const message = file.message(error instanceof Error ? error.message : String(error), { ruleId: 'build', source: 'deck' })
        message.fatal = true
      }
    } finally {
      this.inputs = [...(file.data.inputs ?? [])]
    }
    for (const outcome of file.data.snippets?.outcomes ?? []) {
      if (outcome.ran && outcome.run) log(`ran snippets/${outcome.stored.snippet} (${Math.round(outcome.run.durationMs)} ms)`)
    }
    const report = formatMessages(file)
    if (report) log(report)
    if (hasErrors(file) || !deck || html === undefined) {
      this.setError(formatMessages(file, { quiet: true }))
      return
    }
    commitSnippetOutputs(file.data.snippets)
    this.rendered = rendered
    if (html !== this.marpHtml) {
      const client = this.options.client ?? {}
      const talkLength = client.talkLength ?? deck.settings.talkLength
      const page = devPage(html, deck, { version: this.version + 1, showErrors: client.showErrors ?? deck.settings.showErrors, ...(talkLength ? { talkLength } : {}) }, file.data.snippets?.outcomes)
      const slides = this.page ? changedSlides({ html: this.marpHtml, blocks: this.page.blocks }, { html, blocks: page.blocks }) : undefined
      this.marpHtml = html
      this.page = page
      this.version++
      lap('devPage, changedSlides')
      const sections = slides ? slideSections(page.html) : []
      this.options.emit({ type: 'reload', version: this.version, ...(slides ? { base: this.version - 1, slides: slides.map((index) => ({ index, html: sections[index]! })) } : {}) })
      this.setError(null)
      log(`${file.path}: ${deck.slides.length} slides, build ${this.version} (${((performance.now() - started) / 1000).toFixed(2)} s)`)
      this.checkFit(html, deck, file, this.version)
      if (this.version === 1 && file.data.snippets?.outcomes.some((outcome) => outcome.request.kind === 'lint')) this.warmLint()
    } else {
      log(`${file.path}: no change on the slides`)
      this.setError(this.fitError ?? null)
    }
  }

  private setError(message: string | null): void {
    if (message === this.error) return
    this.error = message
    this.options.emit({ type: 'error', message })
  }

  /**
   * Loads ruff's WebAssembly while the deck is only being looked at: else the first snippet edit
   * of a deck with lint blocks waits for it (about a second on a busy machine).
   */
  private warmLint(): void {
    this.fitChecks = this.fitChecks.then(async () => {
      const { lintSource } = await import('../snippets/lint.ts')
      await lintSource('pass\n', 'warm-up.py', ['F'])
    }).catch(() => undefined)
  }

  /** Measures the new page's slides in the browser, one check at a time, skipped once outdated. */
  private checkFit(html: string, deck: Deck, file: VFile, version: number): void {
    this.fitError = undefined
    const htmlFile = path.join(this.options.scratch, `fit-${version}.html`)
    writeFileSync(htmlFile, html)
    this.fitChecks = this.fitChecks.then(async () => {
      try {
        // Open pages reload first: the browser of the check would slow them down.
        await new Promise((resolve) => setTimeout(resolve, FIT_CHECK_DELAY_MS))
        if (version !== this.version || this.closed) return
        const { checkOverflow } = await import('../browser/overflow.ts')
        const { overflows } = await checkOverflow(htmlFile, { size: slideSize(deck), floor: deck.settings.codeScaleFloor })
        if (version !== this.version || overflows.length === 0) return
        const checked = new VFile({ path: file.path })
        reportOverflows(checked, deck, overflows, this.options.allowOverflow)
        this.options.log(formatMessages(checked))
        if (!this.options.allowOverflow) {
          this.fitError = formatMessages(checked)
          this.setError(this.fitError)
        }
      } catch (error) {
        this.options.log(`Slides not checked for overflow: ${error instanceof Error ? error.message : String(error)}`)
      } finally {
        rmSync(htmlFile, { force: true })
      }
    })
  }
}
