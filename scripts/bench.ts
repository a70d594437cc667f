/**
 * `npm run bench`: the performance figures of DESIGN.md, measured side by side in one run
 * (medians over several runs; ratios against the reference tools measured in the same run).
 *
 *   cold build (HTML + PDF, no stored outputs)  vs  bare marp, PDF + HTML of the same Marp Markdown
 *   warm build (HTML + PDF, nothing changed)    vs  bare marp, PDF alone
 *   warm HTML-only build                            absolute (target < 0.6 s)
 *   per-snippet overhead                            over running the interpreter directly
 *   dev server reload                               snippet edit until an open page shows it
 *   pandoc + beamer                                 where pandoc and xelatex are installed
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { VFile } from 'vfile'
import { projectRoot } from './paths.ts'
import { prepareDeck } from './pipeline.ts'
import { deckToMarp } from './markdown/marp-markdown.ts'
import { prepareThemes } from './render/theme.ts'
import { findBrowser } from './render/browser.ts'
import { benchSnippetOverhead } from './snippets/bench-overhead.ts'
import { benchReloadLatency } from './dev/bench-reload.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    deck: { type: 'string' },
  },
})
const runs = Math.max(1, Number(values.runs))
const deck = path.resolve(values.deck ?? path.join(projectRoot, 'slides', 'asyncio.md'))
const launcher = path.join(projectRoot, 'scripts', 'launch.mjs')
const marpCliBin = path.join(projectRoot, 'node_modules', '@marp-team', 'marp-cli', 'marp-cli.js')

function time(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now()
  const result = spawnSync(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, encoding: 'utf8' })
  const elapsed = (performance.now() - started) / 1000
  if (result.status !== 0) throw new Error(`${path.basename(args[0] ?? command)} failed:\n${result.stderr}`)
  return elapsed
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
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

    console.log(`deck: ${path.relative(projectRoot, deck)}; ${runs} runs each, medians; browser: ${browser.source}`)
    console.log('')
    const cold = measure({
      'ours, cold (HTML + PDF, every snippet run)': ours('--rerun'),
      'bare marp, PDF': marp('--pdf', '-o', path.join(scratch, 'bare.pdf')),
      'bare marp, HTML': marp('-o', path.join(scratch, 'bare.html')),
    })
    const bareBoth = cold['bare marp, PDF']! + cold['bare marp, HTML']!
    // Warm: nothing changed, no snippet runs. --force renders anyway (the honest rendering cost);
    // without it the build sees nothing changed and skips, as a user's second `npm run build` does.
    const warm = measure({
      'ours, warm (HTML + PDF, no snippet run, --force)': ours('--force'),
      'ours, warm HTML only (--force)': ours('--html', '--force'),
    })
    const upToDateOut = path.join(scratch, 'up-to-date')
    time(process.execPath, [launcher, 'deck', 'build', deck, '--out', upToDateOut, '--quiet'])
    const noop = measure({
      'ours, nothing changed (up to date, skipped)': () => time(process.execPath, [launcher, 'deck', 'build', deck, '--out', upToDateOut, '--quiet']),
    })
    for (const [label, value] of Object.entries({ ...cold, ...warm, ...noop })) line(label, `${value.toFixed(2)} s`)
    console.log('')
    const coldRatio = cold['ours, cold (HTML + PDF, every snippet run)']! / bareBoth
    const warmRatio = warm['ours, warm (HTML + PDF, no snippet run, --force)']! / cold['bare marp, PDF']!
    line('cold build / bare marp (PDF + HTML)', coldRatio.toFixed(2), coldRatio <= 1.3 ? 'ok (target <= 1.3)' : 'OVER target 1.3')
    line('warm build (--force) / bare marp (PDF alone)', warmRatio.toFixed(2), warmRatio <= 1.0 ? 'ok (target <= 1.0)' : 'OVER target 1.0')
    const htmlOnly = warm['ours, warm HTML only (--force)']!
    line('warm HTML-only build (--force)', `${htmlOnly.toFixed(2)} s`, htmlOnly < 0.6 ? 'ok (target < 0.6 s)' : 'OVER target 0.6 s')
    const skipped = noop['ours, nothing changed (up to date, skipped)']!
    line('nothing changed (skipped) / bare marp (PDF alone)', (skipped / cold['bare marp, PDF']!).toFixed(2), `${skipped.toFixed(2)} s`)

    const overhead = await benchSnippetOverhead(runs)
    if (overhead) {
      line(
        'per-snippet overhead over the bare interpreter',
        `${overhead.medianMs.toFixed(1)} ms`,
        `${overhead.medianMs < 10 ? 'ok (target < 10 ms)' : 'OVER target 10 ms'}; ${overhead.detail}`,
      )
    }

    const reload = await benchReloadLatency(deck, runs)
    if (reload) {
      const over = reload.medianMs - reload.snippetMs
      line('dev server: snippet edit until the page shows it', `${reload.medianMs.toFixed(0)} ms`, `${over < 500 ? 'ok' : 'OVER'} (target < 500 ms + the snippet's run: ${over.toFixed(0)} ms over it); ${reload.detail}`)
    } else {
      line('dev server reload', 'skipped', 'no output block of a runnable snippet, or no interpreter')
    }

    const pandoc = spawnSync('pandoc', ['--version']).status === 0 && spawnSync('xelatex', ['--version']).status === 0
    if (pandoc) {
      const pdf = path.join(scratch, 'beamer.pdf')
      const beamer = measure({ 'pandoc + beamer, PDF': () => time('pandoc', [deck, '-t', 'beamer', '--pdf-engine=xelatex', '-o', pdf]) })
      line('pandoc + beamer, PDF', `${beamer['pandoc + beamer, PDF']!.toFixed(2)} s`)
      line('cold build / pandoc + beamer', (cold['ours, cold (HTML + PDF, every snippet run)']! / beamer['pandoc + beamer, PDF']!).toFixed(2))
    } else {
      line('pandoc + beamer', 'skipped', 'pandoc or xelatex not installed')
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

await main()
