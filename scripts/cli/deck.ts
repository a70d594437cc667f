/**
 * The command line: `deck <command> [options] [decks...]`, one entry per command in COMMANDS
 * (its options, its help, its module, loaded only when it runs). Exit codes: 0 success, 1 a deck
 * has errors, 2 bad usage, 128 + N when stopped by signal N (130 for Ctrl-C). runDeck() runs a
 * command line in the calling process (the tests do); the command line itself is at the bottom.
 */
import { readdirSync, existsSync, readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { escapeTerminal, formatMessages, hasErrors } from '../core/report.ts'
import { projectRoot, slidesDir, distDir } from '../core/paths.ts'
import { describeOptions, parseCommandLine, UsageError, type OptionSpecs, type Parsed } from './cli-args.ts'
import { handleInterrupts, onInterrupt } from '../core/interrupt.ts'
import { closeBrowser, killBrowserNow, sharedBrowser } from '../browser/browser.ts'
import { stopActiveRuns } from '../snippets/run.ts'
import { preloadRenderer, releaseEarlyThread } from '../render/marp-thread.ts'
import type { BuildOptions, OutputFormat } from '../build/pipeline.ts'

interface Command {
  summary: string
  options: OptionSpecs
  /** `args`: the command's arguments as given (`--watch` passes them on to each build). */
  run: (parsed: Parsed, decks: string[], args: string[]) => Promise<number>
}

const COMMON: OptionSpecs = {
  quiet: { type: 'boolean', description: 'report errors only' },
  help: { type: 'boolean', short: 'h', description: 'this text' },
}

const COMMANDS: Record<string, Command> = {
  build: {
    summary: 'build every deck in slides/ (or the named ones) to dist/<name>.pdf and dist/<name>.html',
    options: {
      html: { type: 'boolean', description: 'HTML only' },
      pdf: { type: 'boolean', description: 'PDF only' },
      out: { type: 'string', value: 'DIR', description: 'output folder (default: dist/)' },
      frozen: { type: 'boolean', description: 'a stale stored output is an error (the default when CI=true)' },
      rerun: { type: 'boolean', description: 'run every snippet, fresh or not' },
      force: { type: 'boolean', description: 'build even when nothing changed since the last build' },
      'allow-overflow': { type: 'boolean', description: 'a slide whose content does not fit is a warning, not an error' },
      images: { type: 'string', value: 'png|jpeg', description: 'also an image per PDF page (overlays included) in dist/<name>/' },
      'image-scale': { type: 'string', value: 'N', description: 'the images\' pixels per slide px (default 1: 1280 x 720 at 16:9)' },
      pptx: { type: 'boolean', description: 'also dist/<name>.pptx: a slide per PDF page, the speaker notes as its notes' },
      'strict-accessibility': { type: 'boolean', description: 'accessibility findings (alt text, contrast, a slide without title) are errors' },
      watch: { type: 'boolean', description: 'build again whenever a deck, a snippet, an image or the theme changes' },
      ...COMMON,
    },
    run: build,
  },
  dev: {
    summary: 'serve one deck for presenting: reload on every edit, presenter view, run on stage',
    options: {
      port: { type: 'string', value: 'N', description: 'port to listen on (default: a free one)' },
      host: { type: 'string', value: 'ADDRESS', description: 'address to listen on (default 127.0.0.1; another is reachable from other machines, and running snippets then needs the printed token)' },
      'allow-overflow': { type: 'boolean', description: 'a slide that does not fit is a warning, not an error' },
      'show-errors': { type: 'boolean', description: 'show build errors on the audience page too (a workshop; default: presenter view and terminal only; front matter `show-errors: true`)' },
      'talk-length': { type: 'string', value: 'TIME', description: "the talk's length for the presenter's countdown, e.g. 30min, 1h15min, 25:00 (front matter `talk-length`)" },
      help: COMMON.help!,
    },
    run: async (parsed, decks) => (await import('./dev-command.ts')).runDevCommand(parsed, decks),
  },
  verify: {
    summary: 're-run every snippet the decks use; a diff per output that drifted from the committed one',
    options: {
      repeat: { type: 'string', value: 'N', description: 'run each snippet N times and name those whose output varies' },
      ...COMMON,
    },
    run: (parsed, decks) => verify(parsed, decks, false),
  },
  update: {
    summary: 're-run every snippet the decks use and rewrite the committed outputs',
    options: { ...COMMON },
    run: (parsed, decks) => verify(parsed, decks, true),
  },
}

const ENVIRONMENT = `Environment:
  CI=true          build as --frozen: a stale or missing stored output is an error
  CHROME_PATH      the browser for the PDF and the fit check (default: on Linux x64/arm64 the
                   Chromium pinned through @sparticuz/chromium, elsewhere a system Chrome/Chromium)
  DECK_TIMINGS=1   print the time of each stage of a build
  DECK_PYTHON      the Python that runs .py snippets (default: python3 on PATH)
  DECK_PINNED_PATH the folders a command runner's PATH ends with (default /usr/local/bin:/usr/bin:/bin)`

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length))
  const commands = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
  return `Usage: npm run <command> [-- [options] [deck.md ...]]

Commands:
${commands.join('\n')}

Options: npm run <command> -- --help
  --version  the toolchain's version

${ENVIRONMENT}`
}

function commandUsage(name: string, command: Command): string {
  return `Usage: npm run ${name} [-- [options] [deck.md ...]]

${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.

Options:
${describeOptions(command.options)}

${ENVIRONMENT}`
}

function version(): string {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { name: string; version: string }
  return `${manifest.name} ${manifest.version} (Node.js ${process.version})`
}

/** The command being run, for the usage hint. */
let commandName = '<command>'

async function main(argv: string[]): Promise<number> {
  commandName = '<command>'
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    console.log(usage())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v' || rest.includes('--version')) {
    console.log(version())
    return 0
  }
  const command = COMMANDS[name]
  if (command) commandName = name
  if (!command) throw new UsageError(`Unknown command \`${name}\` (${Object.keys(COMMANDS).join(', ')})`)
  const parsed = parseCommandLine(rest, command.options, true)
  if (parsed.values.help) {
    console.log(commandUsage(name, command))
    return 0
  }
  const decks = parsed.positionals.length > 0 ? parsed.positionals.map((deck) => path.resolve(deck)) : findDecks()
  if (decks.length === 0) {
    console.error(`No decks: slides/ has no *.md file and none was named`)
    return 1
  }
  return command.run(parsed, decks, rest)
}

async function verify(parsed: Parsed, decks: string[], update: boolean): Promise<number> {
  const text = String(parsed.values.repeat ?? '1')
  const repeat = Number(text)
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new UsageError(`Expected --repeat to be a whole number from 1, not \`${text}\``)
  const { verifyDecks } = await import('./verify.ts')
  return verifyDecks(decks, { repeat, update })
}

/** Set by `build --watch`: its builds run in this process (cli/watch-build.ts). */
let watching = false

async function build(parsed: Parsed, named: string[], args: string[]): Promise<number> {
  const values = parsed.values
  const decks = [...new Set(named)]
  const outDir = path.resolve(typeof values.out === 'string' ? values.out : distDir)
  const clash = sameOutputs(decks, outDir)
  if (clash) {
    console.error(`deck: ${clash}`)
    return 2
  }
  if (values.watch === true) {
    watching = true
    const { watchBuild } = await import('./watch-build.ts')
    return watchBuild(decks, args.filter((arg) => arg !== '--watch'), (buildArgs) => runDeck(['build', ...buildArgs]))
  }
  const quiet = values.quiet === true
  // `npm run build --force` (without `--`) gives npm the flag, which passes it on in the environment.
  const force = values.force === true || (process.env.npm_lifecycle_event !== undefined && process.env.npm_config_force === 'true')
  const allowOverflow = values['allow-overflow'] === true
  const formats: OutputFormat[] = values.html && !values.pdf ? ['html'] : values.pdf && !values.html ? ['pdf'] : ['html', 'pdf']
  const frozen = values.frozen === true || isCI()
  if (frozen && values.rerun) throw new UsageError('--rerun and --frozen (or CI=true) exclude each other')
  const snippetMode = values.rerun ? 'rerun' : frozen ? 'frozen' : 'reuse'
  const exports = exportOptions(values)
  const buildKey = JSON.stringify({ formats, snippetMode: snippetMode === 'rerun' ? 'rerun' : 'reuse', allowOverflow, browser: process.env.CHROME_PATH ?? '', ...exports })
  const { isUpToDate, recordBuild } = await import('../build/up-to-date.ts')
  let failed = false
  let built = false
  for (const deck of decks) {
    const started = performance.now()
    if (!force && snippetMode !== 'rerun' && isUpToDate(deck, outDir, buildKey)) {
      const rebuild = watching ? '' : '; `npm run build -- --force` rebuilds'
      if (!quiet) console.error(escapeTerminal(`${path.relative(process.cwd(), deck)}: up to date (nothing changed since the last build${rebuild})`))
      continue
    }
    built = true
    // Marp's thread loads Marp (~0.3 s) while the build's own modules load (~0.1 s) and the deck is parsed.
    if (formats.length > 0) preloadRenderer().catch(() => undefined)
    const { buildDeck } = await import('../build/pipeline.ts')
    const result = await buildDeck(deck, { formats, outDir, snippetMode, allowOverflow, browserOutlivesBuild: watching, ...exports })
    const outcomes = result.snippets?.outcomes ?? []
    if (!quiet) {
      for (const outcome of outcomes.filter((o) => o.ran)) {
        const name = `snippets/${outcome.stored.snippet}${outcome.request.kind === 'lint' ? ' (lint)' : ''}`
        if (outcome.pending) {
          console.error(escapeTerminal(`took ${name} from the last build, which failed after running it (it has not changed since)`))
          continue
        }
        const built = outcome.build ? (outcome.build.cached ? 'build cached' : `built in ${Math.round(outcome.build.durationMs)} ms`) : ''
        // A block that shows the build (`phase=build`) ran the build alone.
        const shown = outcome.request.kind === 'run' && outcome.request.phase === 'build' ? built : [built, outcome.run && `${Math.round(outcome.run.durationMs)} ms`].filter(Boolean).join(', ')
        const ms = outcome.run && shown ? ` (${shown})` : ''
        console.error(escapeTerminal(`ran ${name}${ms}`))
      }
      const reused = outcomes.filter((o) => !o.ran && !o.failure).length
      if (reused > 0) console.error(`reused ${reused} stored output${reused === 1 ? '' : 's'}`)
    }
    // What ran first, then the problems: the last lines on screen are the errors.
    const report = formatMessages(result.file, { quiet })
    if (report) console.error(report)
    if (hasErrors(result.file)) {
      failed = true
      continue
    }
    recordBuild(deck, outDir, buildKey, result.inputs, result.outputs)
    if (result.browser && !values.quiet) console.error(`measured and printed in ${result.browser}`)
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    const written = result.outputs.map((output) => path.relative(process.cwd(), output)).join(', ')
    console.error(escapeTerminal(`${result.file.path}: ${result.deck?.slides.length ?? 0} slides -> ${written} (${seconds} s)`))
  }
  // Nothing rendered: Marp's thread, started before this was known (scripts/launch.mjs), goes now.
  if (!built) await releaseEarlyThread()
  return failed ? 1 : 0
}

/**
 * Two decks that would write the same files of the output folder (`<name>.pdf`, `<name>.html`:
 * the same file name in different folders): the message naming both, else undefined.
 */
function sameOutputs(decks: string[], outDir: string): string | undefined {
  const byName = new Map<string, string>()
  for (const deck of decks) {
    const name = path.parse(deck).name
    const other = byName.get(name)
    const shown = (file: string) => path.relative(process.cwd(), file) || file
    if (other) {
      const out = path.join(shown(outDir), name)
      return `${shown(other)} and ${shown(deck)} would both write ${out}.pdf and ${out}.html: rename one, or build them one at a time with different --out folders`
    }
    byName.set(name, deck)
  }
  return undefined
}

/** `--images`, `--image-scale`, `--pptx`, `--strict-accessibility` as build options. */
function exportOptions(values: Parsed['values']): Pick<BuildOptions, 'images' | 'pptx' | 'strictAccessibility'> {
  const options: Pick<BuildOptions, 'images' | 'pptx' | 'strictAccessibility'> = {}
  const format = values.images
  if (format !== undefined) {
    if (format !== 'png' && format !== 'jpeg') throw new UsageError(`Expected --images to be png or jpeg, not \`${String(format)}\``)
    const text = String(values['image-scale'] ?? '1')
    const scale = Number(text)
    if (!(Number.isFinite(scale) && scale > 0 && scale <= 8)) throw new UsageError(`Expected --image-scale to be a number above 0 and at most 8, not \`${text}\``)
    options.images = { format, scale }
  } else if (values['image-scale'] !== undefined) throw new UsageError('--image-scale needs --images png|jpeg')
  if (values.pptx === true) options.pptx = true
  if (values['strict-accessibility'] === true) options.strictAccessibility = true
  return options
}

function isCI(): boolean {
  const value = process.env.CI
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

function findDecks(): string[] {
  if (!existsSync(slidesDir)) return []
  return readdirSync(slidesDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => path.join(slidesDir, name))
}

/**
 * Runs one command line (`['build', 'talk.md', '--html']`) in this process and returns its exit
 * status; what it reports goes to the console. A usage mistake is one line (2), an unexpected error
 * its stack (1). It neither exits nor handles signals, and a browser a build started stays open for
 * the next command (closeBrowser() ends it): the command line below adds those.
 */
export async function runDeck(argv: string[]): Promise<number> {
  try {
    return await main(argv)
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`deck: ${error.message}; see \`npm run ${commandName} -- --help\``)
      return 2
    }
    console.error(escapeTerminal(error instanceof Error ? (error.stack ?? error.message) || String(error) : String(error)))
    return 1
  }
}

/** Whether this file is the script being run (scripts/launch.mjs names it, as `tsx scripts/cli/deck.ts` does), not a module imported. */
function isCommandLine(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(path.join(projectRoot, 'scripts', 'cli', 'deck.ts'))
  } catch {
    return false
  }
}

if (isCommandLine()) {
  handleInterrupts(stopActiveRuns)
  onInterrupt(killBrowserNow)
  void runDeck(process.argv.slice(2)).then((code) => {
    // The browser, if a build started one, ends whatever happened (no process, no profile left):
    // killed and its profile removed, without waiting for its processes to be gone (12-29 ms;
    // killed, they write nothing more).
    killBrowserNow()
    process.exit(code)
  })
}

/**
 * The browser that the commands run with runDeck share, started if need be, and its end (a process
 * that runs several: the tests look at what they built in it too).
 */
export { closeBrowser, sharedBrowser }
