/**
 * The interpreters snippets run with, resolved once to their real executables (python3 is often
 * a pyenv shim costing ~70 ms a call) and remembered in .cache/ while nothing they depend on
 * changes. A missing interpreter is not an error here: a deck whose outputs are all stored and
 * fresh builds without it.
 */
import { execFileSync } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { readCache, writeCache } from '../core/cache.ts'
import { projectRoot } from '../core/paths.ts'
import type { RunnerName } from './languages.ts'

export interface Interpreter {
  /** `command`: a runner of the configuration (runners.ts), whose argv is complete. */
  runner: RunnerName | 'command'
  /** argv before the snippet's path. */
  command: string[]
  /** A command runner's whole PATH, and its named variables. */
  path?: string[]
  env?: Record<string, string>
  /** e.g. `CPython 3.11.7`, part of the freshness key. */
  version: string
  /** Folders whose absolute paths are replaced in output (e.g. the stdlib -> `<stdlib>`). */
  replacements: Array<{ from: string; to: string }>
}

const localRequire = createRequire(import.meta.url)

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

interface PythonCacheEntry {
  fingerprint: string
  interpreter: Interpreter
}

/** What decides which Python the `python3` on PATH is. */
function pythonFingerprint(found: string): string {
  const versionFile = path.join(projectRoot, '.python-version')
  return JSON.stringify({
    found,
    mtime: statSync(found).mtimeMs,
    path: process.env.PATH,
    pyenv: process.env.PYENV_VERSION ?? null,
    versionFile: existsSync(versionFile) ? readFileSync(versionFile, 'utf8') : null,
  })
}

const PROBE = [
  'import sys, sysconfig, platform',
  'print(sys.executable)',
  'print(platform.python_implementation() + " " + platform.python_version())',
  'print(sysconfig.get_paths()["stdlib"])',
  'print(sysconfig.get_paths()["purelib"])',
].join('; ')

/** The Python of the last call, under what chose it: commands run in one process (the tests) may differ in these. */
let python: { chosenBy: string; interpreter: Interpreter | undefined } | undefined

export function resolvePython(): Interpreter | undefined {
  const chosenBy = JSON.stringify([process.env.DECK_PYTHON, process.env.PATH])
  if (python?.chosenBy !== chosenBy) python = { chosenBy, interpreter: findPython() }
  return python.interpreter
}

function findPython(): Interpreter | undefined {
  const found = process.env.DECK_PYTHON ?? onPath('python3')
  if (!found) return undefined
  const fingerprint = pythonFingerprint(found)
  const cache = readInterpreterCache()
  const cached = cache.python
  if (cached?.fingerprint === fingerprint && existsSync(cached.interpreter.command[0] ?? '')) return cached.interpreter
  const lines = execFileSync(found, ['-c', PROBE], { encoding: 'utf8', env: { ...process.env, PYTHONWARNINGS: 'ignore' } })
    .trim()
    .split('\n')
  const [executable, version, stdlib, purelib] = lines
  if (!executable || !version || !stdlib) throw new Error(`Cannot read what \`${found}\` is (got \`${lines.join(' ')}\`)`)
  const replacements = [
    ...(purelib ? [{ from: realpath(purelib), to: '<site-packages>' }, { from: purelib, to: '<site-packages>' }] : []),
    { from: realpath(stdlib), to: '<stdlib>' },
    { from: stdlib, to: '<stdlib>' },
  ]
  const interpreter: Interpreter = { runner: 'python', command: [realpath(executable)], version, replacements }
  writeCache('interpreters', 'interpreters', { ...cache, python: { fingerprint, interpreter } })
  return interpreter
}

function nodeInterpreter(typescript: boolean): Interpreter {
  const command = [process.execPath]
  // tsx's loader for both module systems: a .ts file outside a `"type": "module"` package is CommonJS.
  if (typescript) command.push('--import', pathToFileURL(localRequire.resolve('tsx')).href)
  return { runner: typescript ? 'node-ts' : 'node', command, version: `Node.js ${process.version}`, replacements: [] }
}

/**
 * A shell script runs under the interpreter its shebang names (`#!/usr/bin/env bash`,
 * `#!/bin/zsh`), `/bin/sh` without one; undefined when that interpreter is not on this machine.
 */
export function shellInterpreter(file?: string): Interpreter | undefined {
  const [program, ...args] = file ? shebangOf(file) : []
  if (!program) return { runner: 'sh', command: ['/bin/sh'], version: 'sh', replacements: [] }
  const viaEnv = path.basename(program) === 'env'
  const name = viaEnv ? args.find((arg) => !arg.startsWith('-')) : program
  if (!name) return undefined
  const rest = viaEnv ? args.slice(args.indexOf(name) + 1) : args
  const found = path.isAbsolute(name) ? (isExecutable(name) ? name : undefined) : onPath(name)
  if (!found) return undefined
  return { runner: 'sh', command: [found, ...rest], version: path.basename(name), replacements: [] }
}

/** The words of a `#!` first line, or none. */
export function shebangOf(file: string): string[] {
  let first: string
  try {
    first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? ''
  } catch {
    return []
  }
  if (!first.startsWith('#!')) return []
  return first.slice(2).trim().split(/\s+/).filter(Boolean)
}

/** An executable file (not a folder) that this process may run. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** The interpreter for a runner; for shell scripts, the one the file's shebang names. */
export function resolveInterpreter(runner: RunnerName, file?: string): Interpreter | undefined {
  switch (runner) {
    case 'python':
      return resolvePython()
    case 'node':
      return nodeInterpreter(false)
    case 'node-ts':
      return nodeInterpreter(true)
    case 'sh':
      return shellInterpreter(file)
  }
}

function realpath(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}

function readInterpreterCache(): { python?: PythonCacheEntry } {
  return readCache<{ python?: PythonCacheEntry }>('interpreters', 'interpreters') ?? {}
}
