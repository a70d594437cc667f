/**
 * Per-snippet overhead for `npm run bench`: running a snippet through the toolchain (shell
 * wrapper, pinned environment, capture, limits, normalisation, freshness key) against spawning
 * the same interpreter on the same file directly from Node. Medians over interleaved runs.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { resolvePython } from '../snippets/interpreters.ts'
import { runSnippet } from '../snippets/run.ts'
import { normalizeOutput } from '../snippets/normalize.ts'
import { freshnessKey } from '../snippets/store.ts'
import { median } from './median.ts'

function direct(command: string, file: string): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, [file], { cwd: path.dirname(file), stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.resume()
    child.stderr.resume()
    child.on('error', reject)
    child.on('close', () => resolve(performance.now() - started))
  })
}


export async function benchSnippetOverhead(rounds: number): Promise<{ medianMs: number; detail: string } | undefined> {
  const python = resolvePython()
  if (!python) return undefined
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-overhead-'))
  try {
    const file = path.join(dir, 'hello.py')
    const source = 'import asyncio\n\nasync def main():\n    print("hello")\n\nasyncio.run(main())\n'
    writeFileSync(file, source)
    const runs = Math.max(10, rounds * 4)
    const ours: number[] = []
    const bare: number[] = []
    const differences: number[] = []
    for (let index = 0; index < runs; index++) {
      const started = performance.now()
      const result = await runSnippet(file, python)
      await normalizeOutput(result.output, { snippetsDir: dir, projectDir: dir, replacements: python.replacements })
      freshnessKey({ files: [['hello.py', source]], producer: python.version, options: { timeoutMs: 10_000 } })
      const oursMs = performance.now() - started
      const bareMs = await direct(python.command[0]!, file)
      ours.push(oursMs)
      bare.push(bareMs)
      differences.push(oursMs - bareMs)
    }
    return {
      medianMs: median(differences),
      detail: `snippet ${median(ours).toFixed(1)} ms vs interpreter alone ${median(bare).toFixed(1)} ms, ${runs} pairs`,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
