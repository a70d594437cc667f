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

Options:
  --html          HTML only
  --pdf           PDF only
  --out DIR       output folder (default: dist/)
  --quiet         report errors only
  -h, --help      this text`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      html: { type: 'boolean', default: false },
      pdf: { type: 'boolean', default: false },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help || !command) {
    console.log(USAGE)
    return values.help ? 0 : 2
  }
  if (command !== 'build') {
    console.error(`Unknown command \`${command}\`\n\n${USAGE}`)
    return 2
  }
  const formats: OutputFormat[] = values.html && !values.pdf ? ['html'] : values.pdf && !values.html ? ['pdf'] : ['html', 'pdf']
  const decks = positionals.length > 0 ? positionals.map((deck) => path.resolve(deck)) : findDecks()
  if (decks.length === 0) {
    console.error(`No decks: slides/ has no *.md file and none was named`)
    return 1
  }
  const { buildDeck, hasErrors } = await import('./pipeline.ts')
  let failed = false
  for (const deck of decks) {
    const started = performance.now()
    const result = await buildDeck(deck, { formats, outDir: path.resolve(values.out ?? distDir) })
    const report = formatMessages(result.file, { quiet: values.quiet })
    if (report) console.error(report)
    if (hasErrors(result.file)) {
      failed = true
      continue
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    const written = result.outputs.map((output) => path.relative(process.cwd(), output)).join(', ')
    console.error(`${result.file.path}: ${result.deck?.slides.length ?? 0} slides -> ${written} (${seconds} s)`)
  }
  return failed ? 1 : 0
}

function findDecks(): string[] {
  if (!existsSync(slidesDir)) return []
  return readdirSync(slidesDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => path.join(slidesDir, name))
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
    process.exit(1)
  },
)
