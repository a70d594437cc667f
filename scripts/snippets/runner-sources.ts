/**
 * The files that belong to a snippet besides itself, as its runner declares them: the files it
 * pulls in (`imports`: `#include "x.h"`, `mod x;`, followed transitively) and the globs of
 * `sources` (a crate's `Cargo.toml` and `src/**\/*.rs`, a Go module, a Java package), relative to
 * the runner's root. They go into the output's key, so that editing any of them re-runs it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { rootOf, type RunnerSpec } from './runners.ts'

/** Folders a glob never looks into: stored outputs, version control, build output. */
const SKIPPED = new Set(['.outputs', '.git', 'node_modules', 'target'])
const MAX_FILES = 2_000

export function runnerSources(runner: RunnerSpec, file: string, snippetsDir: string): string[] {
  const absolute = path.resolve(file)
  const found = new Set<string>()
  for (const imported of followImports(runner, absolute)) found.add(imported)
  if (runner.sources.length > 0) {
    const root = rootOf(runner, absolute, snippetsDir)
    const patterns = runner.sources.map(globToRegExp)
    for (const candidate of walk(root)) {
      const relative = path.relative(root, candidate).split(path.sep).join('/')
      if (patterns.some((pattern) => pattern.test(relative))) found.add(candidate)
    }
  }
  found.delete(absolute)
  // Only files inside the snippets folder: the key names them relative to it.
  return [...found].filter((candidate) => candidate.startsWith(snippetsDir + path.sep)).sort()
}

function followImports(runner: RunnerSpec, file: string): string[] {
  if (runner.imports.length === 0) return []
  const rules = runner.imports.map((rule) => ({ pattern: new RegExp(rule.pattern, 'gm'), files: rule.files }))
  const seen = new Set<string>([file])
  const queue = [file]
  while (queue.length > 0) {
    const current = queue.shift() as string
    let source: string
    try {
      source = readFileSync(current, 'utf8')
    } catch {
      continue
    }
    for (const rule of rules) {
      for (const match of source.matchAll(rule.pattern)) {
        const name = match[1] ?? ''
        const hit = rule.files.map((form) => path.resolve(path.dirname(current), form.replaceAll('$1', name))).find(isFile)
        if (hit && !seen.has(hit)) {
          seen.add(hit)
          queue.push(hit)
        }
      }
    }
  }
  seen.delete(file)
  return [...seen]
}

function* walk(root: string): Generator<string> {
  let budget = MAX_FILES
  const stack = [root]
  while (stack.length > 0) {
    const dir = stack.pop() as string
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      if (--budget < 0) return
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !entry.name.startsWith('.')) stack.push(file)
      } else if (entry.isFile()) yield file
    }
  }
}

/** `*` within a folder, `**` across folders, `?` one character; `{file}` the snippet's own name is not needed (it is always in). */
export function globToRegExp(glob: string): RegExp {
  let pattern = ''
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] as string
    if (char === '*' && glob[index + 1] === '*') {
      const slash = glob[index + 2] === '/'
      pattern += slash ? '(?:.*/)?' : '.*'
      index += slash ? 2 : 1
    } else if (char === '*') pattern += '[^/]*'
    else if (char === '?') pattern += '[^/]'
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${pattern}$`)
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile()
}
