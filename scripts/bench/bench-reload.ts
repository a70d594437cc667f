/**
 * Reload latency for `npm run bench`: a copy of the deck (with its snippets, stored outputs and
 * theme) is served by the dev server and open in the browser; a snippet file of an output block
 * gets a new first line that prints a marker, and the time runs until the open page shows the
 * marker. The snippet's own run time is measured beside it: the target is 0.5 s on top of it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findSnippetsDir } from '../core/paths.ts'
import { launchBrowser } from '../browser/browser.ts'
import { findThemeDir } from '../render/theme.ts'
import { resolveInterpreter } from '../snippets/interpreters.ts'
import { languageOf } from '../snippets/languages.ts'
import { runSnippet } from '../snippets/run.ts'
import { startDevServer } from '../dev/server.ts'
import { median } from './median.ts'

export interface ReloadLatency {
  medianMs: number
  snippetMs: number
  detail: string
}

const PRINT: Record<string, (text: string) => string> = {
  '.py': (text) => `print(${JSON.stringify(text)})`,
  '.sh': (text) => `echo ${JSON.stringify(text)}`,
  '.js': (text) => `console.log(${JSON.stringify(text)})`,
  '.mjs': (text) => `console.log(${JSON.stringify(text)})`,
}


/** The snippet of the first output block whose output is shown whole (no `lines`, `max-lines`). */
function pickSnippet(source: string): string | undefined {
  const blocks = [...source.matchAll(/^```\{\.output ([^}]*)\}/gm)].map((match) => match[1] ?? '')
  const whole = blocks.filter((attributes) => !/\b(lines|max-lines)=/.test(attributes))
  const chosen = whole.find((attributes) => !/\bexit=/.test(attributes)) ?? whole[0]
  const run = chosen ? /\brun="([^"]+)"/.exec(chosen)?.[1] : undefined
  return run && PRINT[path.extname(run)] ? run : undefined
}

export async function benchReloadLatency(deckPath: string, rounds: number): Promise<ReloadLatency | undefined> {
  const deckDir = path.dirname(path.resolve(deckPath))
  const snippet = pickSnippet(readFileSync(deckPath, 'utf8'))
  if (!snippet) return undefined
  const interpreter = resolveInterpreter(languageOf(snippet)!.runner)
  if (!interpreter) return undefined
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'deck-bench-dev-'))
  cpSync(deckDir, path.join(scratch, 'slides'), { recursive: true })
  cpSync(findSnippetsDir(deckDir), path.join(scratch, 'snippets'), { recursive: true })
  cpSync(findThemeDir(deckDir), path.join(scratch, 'theme'), { recursive: true })
  const deck = path.join(scratch, 'slides', path.basename(deckPath))
  const file = path.join(scratch, 'snippets', snippet)
  const original = readFileSync(file, 'utf8')
  const server = await startDevServer({ deckPath: deck, log: () => undefined })
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage()
    await page.goto(server.url, { waitUntil: 'load' })
    await server.idle()
    const latencies: number[] = []
    const runs: number[] = []
    for (let round = 0; round < Math.max(3, rounds); round++) {
      const marker = `reload-bench-${round}-${Date.now()}`
      // Watched in the page (a mutation observer, surviving a reload): no polling to compete with the build.
      const shown = page.waitForFunction((text: string) => document.body?.textContent?.includes(text) ?? false, { polling: 'mutation', timeout: 60_000 }, marker)
      const started = performance.now()
      writeFileSync(file, `${PRINT[path.extname(file)]!(marker)}\n${original}`)
      await shown
      latencies.push(performance.now() - started)
      runs.push((await runSnippet(file, interpreter)).durationMs)
      // The next edit comes once the background fit check of this one is over.
      await server.idle()
    }
    const snippetMs = median(runs)
    return {
      medianMs: median(latencies),
      snippetMs,
      detail: `snippets/${snippet} (its own run ${snippetMs.toFixed(0)} ms), ${latencies.length} edits: ${latencies.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    }
  } finally {
    await browser.close()
    await server.close()
    rmSync(scratch, { recursive: true, force: true })
  }
}
