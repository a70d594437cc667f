/**
 * `npm run bench`: the performance figures of DESIGN.md, measured side by side in one run
 * (medians over several runs; ratios against the reference tools measured in the same run).
 *
 *   cold build (HTML + PDF, no stored outputs)  vs  bare marp, PDF + HTML of the same Marp Markdown
 *   warm build (HTML + PDF, nothing changed)    vs  bare marp, PDF alone
 *   warm HTML-only build, fit check run         vs  bare marp, HTML alone
 *   a save (one title edited), HTML only        vs  bare marp, HTML alone
 *   a save under `--watch`, HTML only           vs  the same save under `marp --watch`
 *   per-snippet overhead                            over running the interpreter directly
 *   dev server reload                               snippet edit until an open page shows it
 *   the original deck (shared corpus), full     vs  pandoc + beamer on the same deck, where pandoc
 *   build                                           and xelatex are installed
 *   scale series (100, 300, 1000 slides)        vs  bare marp on the same content: time, peak
 *                                                   memory, PDF size, growth per slide
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { VFile } from 'vfile'
import { projectRoot } from '../core/paths.ts'
import { cacheDir } from '../core/cache.ts'
import { describeOptions, parseCommandLine, UsageError, type OptionSpecs } from '../cli/cli-args.ts'
import { prepareDeck } from '../build/stages.ts'
import { deckToMarp } from '../marp/markdown.ts'
import { prepareThemes } from '../render/theme.ts'
import { closeBrowser, findBrowser } from '../browser/browser.ts'
import { benchSnippetOverhead } from './bench-overhead.ts'
import { benchReloadLatency } from './bench-reload.ts'
import { benchWatchSaves, type WatchSaves } from './bench-watch.ts'
import { measureCommand, type Measured } from './process-tree.ts'
import { generateDeck, SCALE_SERIES } from './generated-decks.ts'
import { median } from './median.ts'

const OPTIONS: OptionSpecs = {
  deck: { type: 'string', value: 'FILE', description: 'the deck of the first part (default slides/asyncio.md)' },
  original: { type: 'string', value: 'FILE', description: 'the deck built against pandoc + beamer (default ../shared/corpus/pandoc-beamer/00-seed_m-hegele_asyncio.md)' },
  runs: { type: 'string', value: 'N', description: 'runs per measure of the first part (default 5)' },
  scale: { type: 'string', value: 'LIST', description: 'slide counts of the scale series, e.g. 100,300 (default 100,300,1000; `none` skips it)' },
  'scale-runs': { type: 'string', value: 'N', description: 'runs per size of the scale series (default 2)' },
  check: { type: 'boolean', description: 'exit 1 when a target is missed' },
  help: { type: 'boolean', short: 'h', description: 'this text' },
}
let values: Record<string, string | boolean | undefined> = {}
try {
  values = parseCommandLine(process.argv.slice(2), OPTIONS, false).values
} catch (error) {
  if (!(error instanceof UsageError)) throw error
  console.error(`bench: ${error.message}; see \`npm run bench -- --help\``)
  process.exit(2)
}
if (values.help) {
  console.log(
    `Usage: npm run bench [-- [options]]\n\nMeasures the build against bare marp (and pandoc + beamer where installed) in one run, with medians\nover several runs, and prints each figure with its target.\n\nOptions:\n${describeOptions(OPTIONS)}`,
  )
  process.exit(0)
}
const count = (name: string, text: string): number => {
  const value = Number(text)
  if (!(Number.isInteger(value) && value >= 1)) {
    console.error(`bench: expected --${name} to be a whole number from 1, not \`${text}\`; see \`npm run bench -- --help\``)
    process.exit(2)
  }
  return value
}
const text = (name: string, fallback: string) => (typeof values[name] === 'string' ? (values[name] as string) : fallback)
const runs = count('runs', text('runs', '5'))
const scaleRuns = count('scale-runs', text('scale-runs', '2'))
const scaleText = text('scale', SCALE_SERIES.map(([slides]) => slides).join(','))
const scaleSizes = scaleText === 'none' ? [] : scaleText.split(',').map((size) => count('scale', size.trim()))
const deck = path.resolve(text('deck', path.join(projectRoot, 'slides', 'asyncio.md')))
// The original pandoc + beamer deck: both tools build the same file.
const original = path.resolve(text('original', path.join(projectRoot, '..', 'shared', 'corpus', 'pandoc-beamer', '00-seed_m-hegele_asyncio.md')))
const launcher = path.join(projectRoot, 'scripts', 'launch.mjs')
const marpCliBin = path.join(projectRoot, 'node_modules', '@marp-team', 'marp-cli', 'marp-cli.js')

function time(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  return timeIn(projectRoot, command, args, env)
}

function timeIn(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now()
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' })
  const elapsed = (performance.now() - started) / 1000
  if (result.status !== 0) throw new Error(`${path.basename(args[0] ?? command)} failed:\n${result.stderr}`)
  return elapsed
}


/** Runs each labelled command once per round, interleaved, so that load on the machine hits all alike. */
function measure(commands: Record<string, () => number>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((key) => [key, []]))
  for (let round = 0; round < runs; round++) {
    for (const [label, run] of Object.entries(commands)) {
      samples[label]!.push(run())
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([label, list]) => [label, median(list)]))
}

const line = (label: string, value: string, note = '') => console.log(`${label.padEnd(52)} ${value.padStart(10)}  ${note}`)

const missed: string[] = []
/** Prints a figure with its target and remembers a miss (for --check). */
function target(label: string, value: number, shown: string, limit: number, limitText: string, strict = false): void {
  const ok = strict ? value < limit : value <= limit
  if (!ok) missed.push(label)
  line(label, shown, ok ? `ok (target ${limitText})` : `OVER target ${limitText}`)
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'deck-bench-'))
  try {
    const browser = await findBrowser()
    const file = new VFile({ path: deck, value: readFileSync(deck, 'utf8') })
    const generated = path.join(scratch, 'generated.md')
    writeFileSync(generated, deckToMarp(await prepareDeck(file, 'reuse')))
    const themes = prepareThemes()
    const out = path.join(scratch, 'out')
    const ours = (...extra: string[]) => () => time(process.execPath, [launcher, 'deck', 'build', deck, '--out', out, '--quiet', ...extra])
    const marp = (...extra: string[]) => () =>
      time(process.execPath, [marpCliBin, generated, '--no-config-file', '--theme-set', themes, '--html', '--no-stdin', '--browser-path', browser.path, ...extra])

    console.log(`deck: ${path.relative(projectRoot, deck)}; ${runs} runs each, medians; browser: ${browser.source} (${browser.path})`)
    console.log('')
    const cold = measure({
      'ours, cold (HTML + PDF, every snippet run)': ours('--rerun'),
      'bare marp, PDF': marp('--pdf', '-o', path.join(scratch, 'bare.pdf')),
      'bare marp, HTML': marp('-o', path.join(scratch, 'bare.html')),
    })
    const bareBoth = cold['bare marp, PDF']! + cold['bare marp, HTML']!
    // Warm: nothing changed, no snippet runs. --force renders anyway (the honest rendering cost);
    // without it the build sees nothing changed and skips, as a user's second `npm run build` does.
    // The HTML-only build caches its fit verdict under the HTML: with the cache cleared before each
    // run the browser really measures (as after any edit); the cached case is shown beside it.
    const fitChecked = ours('--html', '--force')
    const warm = measure({
      'ours, warm (HTML + PDF, no snippet run, --force)': ours('--force'),
      'ours, warm HTML only (--force, fit check run)': () => {
        rmSync(path.join(cacheDir, 'fit'), { recursive: true, force: true })
        return fitChecked()
      },
      'ours, warm HTML only (--force, fit verdict cached)': ours('--html', '--force'),
    })
    // A speaker's save: the deck (built before) with one slide's title edited, built HTML only;
    // the fit check measures that slide (its verdict is new), the others' verdicts are remembered.
    // (A longer title may no longer fit its bar: reported, not failed, as the timing is the point.)
    const saved = path.join(path.dirname(deck), `.bench-save-${process.pid}.md`)
    const source = readFileSync(deck, 'utf8')
    let edits = 0
    const save = () => {
      writeFileSync(saved, editLastTitle(source, ++edits))
      return time(process.execPath, [launcher, 'deck', 'build', saved, '--out', path.join(scratch, 'save'), '--quiet', '--html', '--allow-overflow'])
    }
    let saves: Record<string, number>
    try {
      save()
      saves = measure({ 'ours, a save: one slide edited, HTML only (its fit check run)': save })
    } finally {
      rmSync(saved, { force: true })
    }
    // The same save while a watcher runs (`--watch`), against `marp --watch` on the Marp Markdown.
    const watchedDeck = path.join(path.dirname(deck), `.bench-watch-${process.pid}.md`)
    let watch: WatchSaves
    try {
      watch = await benchWatchSaves(
        { deck: watchedDeck, source, launcher, out: path.join(scratch, 'watch') },
        { markdown: path.join(scratch, 'watched.md'), source: readFileSync(generated, 'utf8'), marpCli: marpCliBin, args: ['--no-config-file', '--theme-set', themes, '--html', '--no-stdin'], out: path.join(scratch, 'watched.html') },
        markLastTitle,
        runs,
      )
    } finally {
      rmSync(watchedDeck, { force: true })
    }
    const upToDateOut = path.join(scratch, 'up-to-date')
    time(process.execPath, [launcher, 'deck', 'build', deck, '--out', upToDateOut, '--quiet'])
    const noop = measure({
      'ours, nothing changed (up to date, skipped)': () => time(process.execPath, [launcher, 'deck', 'build', deck, '--out', upToDateOut, '--quiet']),
    })
    for (const [label, value] of Object.entries({ ...cold, ...warm, ...saves, ...noop })) line(label, `${value.toFixed(2)} s`)
    console.log('')
    const coldRatio = cold['ours, cold (HTML + PDF, every snippet run)']! / bareBoth
    const warmRatio = warm['ours, warm (HTML + PDF, no snippet run, --force)']! / cold['bare marp, PDF']!
    target('cold build / bare marp (PDF + HTML)', coldRatio, coldRatio.toFixed(2), 1.3, '<= 1.3')
    target('warm build (--force) / bare marp (PDF alone)', warmRatio, warmRatio.toFixed(2), 1.0, '<= 1.0')
    const htmlOnly = warm['ours, warm HTML only (--force, fit check run)']! / cold['bare marp, HTML']!
    target('warm HTML-only build (fit check run) / bare marp (HTML)', htmlOnly, htmlOnly.toFixed(2), 1.0, '<= 1.0')
    const saveRatio = saves['ours, a save: one slide edited, HTML only (its fit check run)']! / cold['bare marp, HTML']!
    target('a save, HTML only (one slide measured) / bare marp (HTML)', saveRatio, saveRatio.toFixed(2), 1.0, '<= 1.0')
    // What a speaker feels at each save with a watcher running: the command-line rows' start-up
    // (Node, Marp's load, Chromium's start) is paid once, at the watcher's first build.
    const watchRatio = watch.oursMs / watch.bareMs
    line('a save under --watch, HTML only (its fit check run) / marp --watch', watchRatio.toFixed(2), `${(watch.oursMs / 1000).toFixed(2)} s against ${(watch.bareMs / 1000).toFixed(2)} s`)
    line('', '', watch.detail)
    const htmlCached = warm['ours, warm HTML only (--force, fit verdict cached)']! / cold['bare marp, HTML']!
    line('warm HTML-only build (fit verdict cached) / bare marp (HTML)', htmlCached.toFixed(2))
    const skipped = noop['ours, nothing changed (up to date, skipped)']!
    line('nothing changed (skipped) / bare marp (PDF alone)', (skipped / cold['bare marp, PDF']!).toFixed(2), `${skipped.toFixed(2)} s`)

    const overhead = await benchSnippetOverhead(runs)
    if (overhead) target('per-snippet overhead over the bare interpreter', overhead.medianMs, `${overhead.medianMs.toFixed(1)} ms`, 10, '< 10 ms', true)
    if (overhead) line('', '', overhead.detail)

    const reload = await benchReloadLatency(deck, runs)
    if (reload) {
      const over = reload.medianMs - reload.snippetMs
      target('dev server: snippet edit until the page shows it, less the run', over, `${over.toFixed(0)} ms`, 500, '< 500 ms', true)
      line('', '', `${reload.medianMs.toFixed(0)} ms in all; ${reload.detail}`)
    } else {
      line('dev server reload', 'skipped', 'no output block of a runnable snippet, or no interpreter')
    }

    benchPandoc(scratch)
    if (scaleSizes.length > 0) await benchScale(scratch, themes, browser.path)
  } finally {
    // The dev server's fit checks (the reload row) ran in this process's shared browser: it ends
    // here, or it would keep the bench from exiting.
    await closeBrowser()
    rmSync(scratch, { recursive: true, force: true })
  }
  if (values.check && missed.length > 0) {
    console.error(`\n${missed.length} target${missed.length === 1 ? '' : 's'} missed: ${missed.join('; ')}`)
    process.exitCode = 1
  }
}

/**
 * The original deck through our full build (HTML + PDF, `--force`) against pandoc + beamer's PDF
 * of the same file, where pandoc and xelatex are installed, interleaved in the same rounds; a
 * failure is a skipped row, not a crash.
 */
function benchPandoc(scratch: string): void {
  const installed = spawnSync('pandoc', ['--version']).status === 0 && spawnSync('xelatex', ['--version']).status === 0
  if (!installed) {
    line('original deck: ours / pandoc + beamer', 'skipped', 'pandoc or xelatex not installed')
    return
  }
  try {
    statSync(original)
  } catch {
    line('original deck: ours / pandoc + beamer', 'skipped', `no ${path.relative(projectRoot, original)} (--original FILE)`)
    return
  }
  // pandoc finds the deck's images beside it, as our build does.
  const cwd = path.dirname(original)
  const out = path.join(scratch, 'original')
  let both: Record<string, number>
  try {
    both = measure({
      'original deck: ours (HTML + PDF, --force)': () => time(process.execPath, [launcher, 'deck', 'build', original, '--out', out, '--quiet', '--force']),
      'original deck: pandoc + beamer (PDF)': () => timeIn(cwd, 'pandoc', [original, '-t', 'beamer', '--pdf-engine=xelatex', '-o', path.join(scratch, 'beamer.pdf')]),
    })
  } catch (error) {
    line('original deck: ours / pandoc + beamer', 'skipped', `a build failed: ${String(error).split('\n').slice(0, 2).join(' ').slice(0, 120)}`)
    return
  }
  console.log('')
  for (const [label, value] of Object.entries(both)) line(label, `${value.toFixed(2)} s`)
  const ratio = both['original deck: ours (HTML + PDF, --force)']! / both['original deck: pandoc + beamer (PDF)']!
  target('original deck: ours / pandoc + beamer', ratio, ratio.toFixed(2), 0.3, '<= 0.3')
}

/** The deck with the title of its last frame changed (` (edit N)`): one slide's markup, no line moved. */
function editLastTitle(text: string, edit: number): string {
  return markLastTitle(text, `(edit ${edit})`)
}

/** The text with `mark` after its last frame title (`## `; else its last line). */
function markLastTitle(text: string, mark: string): string {
  const lines = text.split('\n')
  const last = (test: (line: string) => boolean) => lines.map((line, index) => (test(line) ? index : -1)).reduce((a, b) => Math.max(a, b), -1)
  let at = last((line) => line.startsWith('## '))
  if (at < 0) at = last((line) => line.trim() !== '')
  lines[at] = `${lines[at]} ${mark}`
  return lines.join('\n')
}

interface ScaleRow {
  slides: number
  ours: Measured & { pdfBytes: number }
  bare: { seconds: number; peakMiB?: number; pdfBytes: number }
}

/** Generated decks of growing size: our full build against bare marp's PDF + HTML of the same content. */
async function benchScale(scratch: string, themes: string, browserPath: string): Promise<void> {
  console.log('')
  console.log(`scale series: generated decks, ${scaleRuns} run${scaleRuns === 1 ? '' : 's'} per size, medians; memory: peak of the whole process tree, in a run of its own`)
  const rows: ScaleRow[] = []
  for (const slides of scaleSizes) {
    const sections = SCALE_SERIES.find(([size]) => size === slides)?.[1] ?? Math.max(1, Math.round(slides / 30))
    const generated = generateDeck(slides, sections)
    const dir = path.join(scratch, `scale-${slides}`)
    const ourDeck = path.join(dir, 'deck.md')
    const marpDeck = path.join(dir, 'bare.md')
    spawnSync('mkdir', ['-p', dir])
    writeFileSync(ourDeck, generated.pandoc)
    writeFileSync(marpDeck, generated.marp)
    const oursRuns: Measured[] = []
    const bareRuns: Array<{ pdf: Measured; html: Measured }> = []
    const oursArgs = [launcher, 'deck', 'build', ourDeck, '--out', path.join(dir, 'out'), '--quiet', '--force']
    const bareArgs = [marpCliBin, marpDeck, '--no-config-file', '--theme-set', themes, '--no-stdin', '--browser-path', browserPath]
    for (let round = 0; round < scaleRuns; round++) {
      oursRuns.push(await measureCommand(process.execPath, oursArgs, { cwd: projectRoot }))
      bareRuns.push({
        pdf: await measureCommand(process.execPath, [...bareArgs, '--pdf', '-o', path.join(dir, 'bare.pdf')], { cwd: projectRoot }),
        html: await measureCommand(process.execPath, [...bareArgs, '-o', path.join(dir, 'bare.html')], { cwd: projectRoot }),
      })
    }
    // The memory in runs of their own (sampling slows what it samples, process-tree.ts).
    const oursMemory = await measureCommand(process.execPath, oursArgs, { cwd: projectRoot, memory: true })
    const bareMemory = await measureCommand(process.execPath, [...bareArgs, '--pdf', '-o', path.join(dir, 'bare.pdf')], { cwd: projectRoot, memory: true })
    const failed = oursRuns.find((run) => run.status !== 0)
    const size = (file: string) => {
      try {
        return statSync(file).size
      } catch {
        return 0
      }
    }
    const peak = (list: Measured[]) => (list.every((run) => run.peakMiB !== undefined) ? Math.max(...list.map((run) => run.peakMiB!)) : undefined)
    const oursPeak = peak([oursMemory])
    const barePeak = peak([bareMemory])
    rows.push({
      slides,
      ours: { seconds: median(oursRuns.map((run) => run.seconds)), ...(oursPeak !== undefined ? { peakMiB: oursPeak } : {}), status: failed ? failed.status : 0, stderr: failed?.stderr ?? '', pdfBytes: size(path.join(dir, 'out', 'deck.pdf')) },
      bare: { seconds: median(bareRuns.map((run) => run.pdf.seconds + run.html.seconds)), ...(barePeak !== undefined ? { peakMiB: barePeak } : {}), pdfBytes: size(path.join(dir, 'bare.pdf')) },
    })
    const row = rows.at(-1)!
    const mib = (value?: number) => (value === undefined ? '?' : `${Math.round(value)} MiB`)
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`
    if (row.ours.status !== 0) {
      missed.push(`${slides} slides: the build failed`)
      line(`${slides} slides (${sections} sections): ours`, 'FAILED', row.ours.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 160))
      continue
    }
    line(`${slides} slides (${sections} sections): ours`, `${row.ours.seconds.toFixed(2)} s`, `peak ${mib(row.ours.peakMiB)}, PDF ${mb(row.ours.pdfBytes)}`)
    line(`${slides} slides: bare marp (PDF + HTML)`, `${row.bare.seconds.toFixed(2)} s`, `peak ${mib(row.bare.peakMiB)}, PDF ${mb(row.bare.pdfBytes)}`)
    const ratio = row.ours.seconds / row.bare.seconds
    const limit = slides === 300 ? 1.0 : slides === 1000 ? 1.2 : undefined
    if (limit !== undefined) target(`${slides} slides: ours / bare marp (PDF + HTML)`, ratio, ratio.toFixed(2), limit, `<= ${limit.toFixed(1)}`)
    else line(`${slides} slides: ours / bare marp (PDF + HTML)`, ratio.toFixed(2))
    // pandoc + beamer made a 3.5 MB PDF of the 300-slide deck (DESIGN.md): ours no bigger.
    if (slides === 300) target('300 slides: PDF size', row.ours.pdfBytes / 1e6, mb(row.ours.pdfBytes), 3.5, '<= 3.5 MB (pandoc + beamer)')
    if (slides === 1000 && row.ours.peakMiB !== undefined) target('1000 slides: peak memory', row.ours.peakMiB, mib(row.ours.peakMiB), 1024, '<= 1 GiB')
  }
  // How each grows: the time and size per slide from the smallest to the largest deck.
  if (rows.length >= 2) {
    const [first, last] = [rows[0]!, rows.at(-1)!]
    const growth = (a: number, b: number) => b / a / (last.slides / first.slides)
    const ours = growth(first.ours.seconds, last.ours.seconds)
    target(`growth ${first.slides} -> ${last.slides} slides: our time per slide (1.00 = linear)`, ours, ours.toFixed(2), 1.0, '<= 1.0')
    line('', '', `time: bare ${growth(first.bare.seconds, last.bare.seconds).toFixed(2)}; PDF: ours ${growth(first.ours.pdfBytes || 1, last.ours.pdfBytes || 1).toFixed(2)}, bare ${growth(first.bare.pdfBytes || 1, last.bare.pdfBytes || 1).toFixed(2)}`)
  }
}

await main()
