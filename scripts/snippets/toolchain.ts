/**
 * A command runner's toolchain on this machine: its PATH (the runner's folders before the pinned
 * ones), its environment (the runner's named variables, nothing else of the caller's), and its
 * version, the first line the `version` command prints, which goes into every output's key. The
 * version is asked once and remembered in .cache/ while the program that answers it is unchanged
 * (`javac -version` costs half a second). A toolchain that is not there is not an error here: a
 * deck whose outputs are stored and fresh builds without it.
 */
import { execFileSync } from 'node:child_process'
import { realpathSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cacheDir, cacheKey, readCache, writeCache } from '../core/cache.ts'
import { projectRoot } from '../core/paths.ts'
import type { RunnerSpec } from './runners.ts'
import { isExecutable } from './interpreters.ts'

/**
 * The folders a command runner's PATH ends with: `DECK_PINNED_PATH` (`:`-separated) where set, for
 * a machine whose toolchains live elsewhere (and for the tests: a machine without any).
 */
export function pinnedPath(): string[] {
  const custom = process.env.DECK_PINNED_PATH
  return custom !== undefined ? custom.split(':').filter(Boolean) : ['/usr/local/bin', '/usr/bin', '/bin']
}

export interface Toolchain {
  runner: RunnerSpec
  /** The whole PATH: the runner's folders, expanded, then the pinned ones. */
  path: string[]
  /** The runner's variables, expanded. */
  env: Record<string, string>
  /** e.g. `rustc 1.95.0 (59807616e 2026-04-14)`. */
  version: string
  /** A folder of the runner's own that lasts between builds (`{cache}`: Go's build cache). */
  cache: string
}

export interface MissingToolchain {
  runner: RunnerSpec
  /** The program that was looked for. */
  program: string
  /** Where it was looked for. */
  searched: string[]
}

const resolved = new Map<string, Toolchain | MissingToolchain>()

export function isMissing(toolchain: Toolchain | MissingToolchain): toolchain is MissingToolchain {
  return 'program' in toolchain
}

export function resolveToolchain(runner: RunnerSpec): Toolchain | MissingToolchain {
  const memo = cacheKey(JSON.stringify(runner), pinnedPath().join(':'), process.env.HOME ?? '')
  const known = resolved.get(memo)
  if (known) return known
  const result = probe(runner)
  resolved.set(memo, result)
  return result
}

/** Files snippets load through their runner's variables (Ruby's and Perl's line buffering). */
export const SUPPORT_DIR = path.join(projectRoot, 'scripts', 'snippets', 'support')

/** `$NAME`, `${NAME}`, `${NAME:-default}` from the caller's environment, a leading `~`, `{cache}`, `{support}`. */
export function expandValue(value: string, cache: string): string {
  return value
    .replace(/^~(?=\/|$)/, os.homedir())
    .replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? ''
      const found = name === 'HOME' ? (process.env.HOME ?? os.homedir()) : process.env[name]
      return found !== undefined && found !== '' ? found : (fallback ?? '')
    })
    .replaceAll('{cache}', cache)
    .replaceAll('{support}', SUPPORT_DIR)
}

function probe(runner: RunnerSpec): Toolchain | MissingToolchain {
  const cache = path.join(cacheDir, 'runners', runner.name)
  const entries = runner.path.map((entry) => expandValue(entry, cache)).filter(Boolean)
  const searched = [...new Set([...entries, ...pinnedPath()])]
  const env = Object.fromEntries(Object.entries(runner.env).map(([name, value]) => [name, expandValue(value, cache)]))
  const program = firstWord(runner.version)
  const found = program.includes('/') ? (isExecutable(program) ? program : undefined) : searched.map((dir) => path.join(dir, program)).find(isExecutable)
  if (!found) return { runner, program, searched }
  const fingerprint = JSON.stringify({ found: realpath(found), stamp: stampOf(found), searched, env, command: runner.version })
  const key = cacheKey(runner.name, fingerprint)
  const cached = readCache<{ version: string }>('toolchains', key)
  if (cached?.version) return { runner, path: searched, env, version: cached.version, cache }
  let text: string
  try {
    text = execFileSync('/bin/sh', ['-c', `${runner.version} 2>&1`], { encoding: 'utf8', env: { PATH: searched.join(':'), LC_ALL: 'C.UTF-8', ...env }, timeout: 30_000 })
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? ''
    text = output
    if (!text.trim()) throw new Error(`\`${runner.version}\` (the \`${runner.name}\` runner's version command) failed: ${(error as Error).message.split('\n')[0]}`)
  }
  const version = text.split('\n').map((line) => line.trim()).find(Boolean) ?? ''
  if (!version) throw new Error(`\`${runner.version}\` (the \`${runner.name}\` runner's version command) printed nothing`)
  writeCache('toolchains', key, { version })
  return { runner, path: searched, env, version, cache }
}

/** The program a shell command starts with (after any `NAME=value` words). */
function firstWord(command: string): string {
  const words = command.trim().split(/\s+/)
  return words.find((word) => !/^\w+=/.test(word)) ?? ''
}

function stampOf(file: string): string {
  try {
    const stat = statSync(realpath(file))
    return `${stat.size}:${stat.mtimeMs}`
  } catch {
    return ''
  }
}

function realpath(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}

/** Where a missing toolchain was looked for, with the home folder as `~`. */
export function describeSearch(missing: MissingToolchain): string {
  const home = os.homedir()
  return missing.searched.map((dir) => (dir.startsWith(`${home}/`) ? `~${dir.slice(home.length)}` : dir)).join(':')
}
