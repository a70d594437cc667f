/** Runs the toolchain's CLI as a user would, in a child process. */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../../scripts/paths.ts'

export { projectRoot }
/**
 * The public decks and pandoc + beamer renders beside the project (`../shared`, read-only). A test
 * that needs them says what is missing, instead of failing on some unrelated error.
 */
export const sharedDir = path.resolve(projectRoot, '..', 'shared')
export function shared(...parts: string[]): string {
  const file = path.join(sharedDir, ...parts)
  if (!existsSync(file)) {
    throw new Error(`This test reads \`${path.join('..', 'shared', ...parts)}\` (the corpus and reference renders beside the project), which is missing: expected at ${file}`)
  }
  return file
}
export const seedDeck = path.join(sharedDir, 'corpus', 'pandoc-beamer', '00-seed_m-hegele_asyncio.md')

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'launch.mjs'), 'deck', ...args], {
    cwd: options.cwd ?? projectRoot,
    // The suite itself may run under CI=true: a test opts into frozen builds by saying so.
    env: { ...process.env, CI: '', ...options.env },
    encoding: 'utf8',
    timeout: 300_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
