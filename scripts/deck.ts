/**
 * The command line: `deck build|dev|verify|update [decks...]`. Each command's module is loaded
 * only when that command runs. Exit codes: 0 success, 1 a deck has errors, 2 bad usage.
 */
import { parseArgs } from 'node:util'
import { readdirSync, existsSync } from 'node:fs'
import path from 'node:path'
import { formatMessages } from './report.ts'
import { slidesDir, distDir } from './paths.ts'
import type { OutputFormat } from './pipeline.ts'

const USAGE = `Usage: npm run <command> [-- [options] [deck.md ...]]

Commands:
  build    build every deck in slides/ (or the named ones) to dist/<name>.pdf and dist/<name>.html
  dev      serve one deck for presenting, rebuilt on every edit (\`npm run dev -- --help\`)
  verify   re-run every snippet the decks use; a diff per output that drifted from the committed one
  update   re-run every snippet the decks use and rewrite the committed outputs

Options:
  --html          build: HTML only
  --pdf           build: PDF only
  --out DIR       build: output folder (default: dist/)
  --frozen        build: a stale stored output is an error (the default when CI=true)
  --rerun         build: run every snippet, fresh or not
  --force         build: build even when nothing changed since the last build
  --allow-overflow  build: a slide whose content does not fit is a warning, not an error
  --watch         build: build again whenever the deck, a snippet, an image or the theme changes
  --repeat N      verify: run each snippet N times and name those whose output varies
  --quiet         report errors only
  -h, --help      this text`

async function main(argv: string[]): Promise<number> {
  const [first, ...others] = argv
  // `--help` may come first, before any command.
  const [command, ...rest] = first?.startsWith('-') ? [undefined, first, ...others] : [first, ...others]
  if (command === 'dev') {
    const { runDevCommand } = await import('./dev/command.ts')
    return runDevCommand(rest)
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      html: { type: 'boolean', default: false },
      pdf: { type: 'boolean', default: false },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      frozen: { type: 'boolean', default: false },
      rerun: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'allow-overflow': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      repeat: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help || !command) {
    console.log(USAGE)
    return values.help ? 0 : 2
  }
  if (!['build', 'verify', 'update'].includes(command)) {
    console.error(`Unknown command \`${command}\`\n\n${USAGE}`)
    return 2
  }
  const formats: OutputFormat[] = values.html && !values.pdf ? ['html'] : values.pdf && !values.html ? ['pdf'] : ['html', 'pdf']
  const decks = positionals.length > 0 ? positionals.map((deck) => path.resolve(deck)) : findDecks()
  if (decks.length === 0) {
    console.error(`No decks: slides/ has no *.md file and none was named`)
    return 1
  }
  if (command === 'verify' || command === 'update') {
    const repeat = Number(values.repeat)
    if (!(Number.isInteger(repeat) && repeat >= 1)) {
      console.error(`Expected --repeat to be a whole number from 1, not \`${values.repeat}\``)
      return 2
    }
    const { verifyDecks } = await import('./verify.ts')
    return verifyDecks(decks, { repeat, update: command === 'update' })
  }
  if (values.watch) {
    const { watchBuild } = await import('./dev/watch-build.ts')
    return watchBuild(decks, rest.filter((arg) => arg !== '--watch'))
  }
  const frozen = values.frozen || isCI()
  if (frozen && values.rerun) {
    console.error('--rerun and --frozen (or CI=true) exclude each other')
    return 2
  }
  const snippetMode = values.rerun ? 'rerun' : frozen ? 'frozen' : 'reuse'
  const outDir = path.resolve(values.out ?? distDir)
  const buildKey = JSON.stringify({ formats, snippetMode: snippetMode === 'rerun' ? 'rerun' : 'reuse', allowOverflow: values['allow-overflow'], browser: process.env.CHROME_PATH ?? '' })
  const { isUpToDate, recordBuild } = await import('./up-to-date.ts')
  let failed = false
  for (const deck of decks) {
    const started = performance.now()
    if (!values.force && snippetMode !== 'rerun' && isUpToDate(deck, outDir, buildKey)) {
      if (!values.quiet) console.error(`${path.relative(process.cwd(), deck)}: up to date (nothing changed since the last build; --force rebuilds)`)
      continue
    }
    const { buildDeck, hasErrors } = await import('./pipeline.ts')
    const result = await buildDeck(deck, { formats, outDir, snippetMode, allowOverflow: values['allow-overflow'] })
    const report = formatMessages(result.file, { quiet: values.quiet })
    if (report) console.error(report)
    const outcomes = result.snippets?.outcomes ?? []
    if (!values.quiet) {
      for (const outcome of outcomes.filter((o) => o.ran)) {
        const ms = outcome.run ? ` (${Math.round(outcome.run.durationMs)} ms)` : ''
        console.error(`ran snippets/${outcome.stored.snippet}${outcome.request.kind === 'lint' ? ' (lint)' : ''}${ms}`)
      }
      const reused = outcomes.filter((o) => !o.ran && !o.failure).length
      if (reused > 0) console.error(`reused ${reused} stored output${reused === 1 ? '' : 's'}`)
    }
    if (hasErrors(result.file)) {
      failed = true
      continue
    }
    recordBuild(deck, outDir, buildKey, result.inputs, result.outputs)
    if (result.browser && !values.quiet) console.error(`measured and printed in ${result.browser}`)
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    const written = result.outputs.map((output) => path.relative(process.cwd(), output)).join(', ')
    console.error(`${result.file.path}: ${result.deck?.slides.length ?? 0} slides -> ${written} (${seconds} s)`)
  }
  return failed ? 1 : 0
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

/** The browser, if a build started one, is closed whatever happened (no process, no profile left). */
async function closeAll(): Promise<void> {
  const { closeBrowser } = await import('./render/browser.ts')
  await closeBrowser()
}

main(process.argv.slice(2)).then(
  async (code) => {
    await closeAll()
    process.exit(code)
  },
  async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) || String(error) : String(error))
    await closeAll()
    process.exit(1)
  },
)
