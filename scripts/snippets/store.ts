/**
 * Committed outputs: every captured output (and lint result) lives next to its snippet, in
 * `.outputs/<file>.out`, as readable text under a small header with its freshness key, so that
 * `git diff` shows what a slide will show. Written aside, then renamed into place.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface StoredOutput {
  /** The snippet, relative to the snippets folder. */
  snippet: string
  /** The interpreter (or linter) that produced it. */
  producer: string
  /** `0`, `1`, `SIGSEGV`, ... for runs; `-` for lint results. */
  exit: string
  key: string
  output: string
}

const SEPARATOR = '---'

export function storePath(snippetsDir: string, snippet: string, variant: string): string {
  const dir = path.join(snippetsDir, path.dirname(snippet), '.outputs')
  return path.join(dir, `${path.basename(snippet)}${variant}`)
}

export function readStored(file: string): StoredOutput | undefined {
  if (!existsSync(file)) return undefined
  const text = readFileSync(file, 'utf8')
  const end = text.indexOf(`\n${SEPARATOR}\n`)
  if (end < 0) return undefined
  const header = Object.fromEntries(
    text
      .slice(0, end)
      .split('\n')
      .map((line) => {
        const at = line.indexOf(': ')
        return [line.slice(0, at), line.slice(at + 2)]
      }),
  )
  const output = text.slice(end + SEPARATOR.length + 2)
  if (!header.key || !header.snippet) return undefined
  return { snippet: header.snippet, producer: header.producer ?? '', exit: header.exit ?? '0', key: header.key, output }
}

export function formatStored(stored: StoredOutput): string {
  return `snippet: ${stored.snippet}\nproducer: ${stored.producer}\nexit: ${stored.exit}\nkey: ${stored.key}\n${SEPARATOR}\n${stored.output}`
}

export function writeStored(file: string, stored: StoredOutput): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, formatStored(stored))
  renameSync(tmp, file)
}

/** The freshness key: what was run (and what it imports), with what, and how. */
export function freshnessKey(parts: { files: Array<[string, string]>; producer: string; options: Record<string, unknown> }): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify({ format: 1, producer: parts.producer, options: parts.options }))
  for (const [name, content] of parts.files) hash.update(`\0${name}\0`).update(content)
  return hash.digest('hex').slice(0, 32)
}
