/** Runs the toolchain's CLI as a user would, in a child process. */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../../scripts/core/paths.ts'

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

/**
 * Runs the CLI in a child process without blocking the test worker (a build takes seconds, and
 * vitest's worker must keep answering meanwhile: a blocking spawnSync made it time out).
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'launch.mjs'), 'deck', ...args], {
      cwd: options.cwd ?? projectRoot,
      // The suite itself may run under CI=true: a test opts into frozen builds by saying so.
      env: { ...process.env, CI: '', npm_lifecycle_event: '', npm_config_force: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}
