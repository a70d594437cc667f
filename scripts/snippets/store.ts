/**
 * Committed outputs: every captured output (and lint result) lives next to its snippet, in
 * `.outputs/<file>.out`, as readable text under a small header with its freshness key, so that
 * `git diff` shows what a slide will show. Written aside, then renamed into place.
 *
 * Besides the key, the header records what went into it (a short hash per source file and per
 * project file the run read, the interpreter, the options), so that a stale output can say what
 * changed and the next build knows which files to check, and the output's length and hash, so
 * that a cut file, or an output edited by hand, is found corrupt instead of shown (a build reuses
 * a stored output without running its snippet: under CI=true it must be what the run printed).
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
  /** What the key was made of: `file@hash` per source, in order. */
  sources?: string[]
  /** The options the key was made of, as `name=value`. */
  options?: string[]
  /** The project files the run read (reads.ts), `file@hash` each, relative to the project. */
  reads?: string[]
  /** Files the run wrote in its folder (when the folder stands for its inputs): not inputs. */
  writes?: string[]
  output: string
}

const SEPARATOR = '---'

export function storePath(snippetsDir: string, snippet: string, variant: string): string {
  const dir = path.join(snippetsDir, path.dirname(snippet), '.outputs')
  return path.join(dir, `${path.basename(snippet)}${variant}`)
}

/** A stored output file that is there but cannot be read back as one. */
export class CorruptStoredOutput extends Error {
  override name = 'CorruptStoredOutput'
}

/** The stored output, undefined when there is none; a file that is there but damaged throws. */
export function readStoredStrict(file: string): StoredOutput | undefined {
  if (!existsSync(file)) return undefined
  const text = readFileSync(file, 'utf8')
  const end = text.indexOf(`\n${SEPARATOR}\n`)
  if (end < 0) throw new CorruptStoredOutput('no `---` line after its header')
  const header = new Map(
    text
      .slice(0, end)
      .split('\n')
      .map((line): [string, string] => {
        const at = line.indexOf(': ')
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 2)]
      }),
  )
  const output = text.slice(end + SEPARATOR.length + 2)
  const key = header.get('key')
  const snippet = header.get('snippet')
  if (!key || !snippet) throw new CorruptStoredOutput(`its header has no ${key ? '`snippet`' : '`key`'}`)
  const bytes = header.get('bytes')
  if (bytes !== undefined && Number(bytes) !== Buffer.byteLength(output)) {
    throw new CorruptStoredOutput(`its header says ${bytes} bytes of output, the file has ${Buffer.byteLength(output)}`)
  }
  // (Outputs stored before the hash was recorded have none: they are taken as they are.)
  const hash = header.get('output-hash')
  if (hash !== undefined && hash !== outputHash(output)) {
    throw new CorruptStoredOutput('its output is not the one its header records: edited by hand?')
  }
  const list = (name: string) => (header.get(name) ? header.get(name)!.split(' ') : undefined)
  const sources = list('sources')
  const options = list('options')
  const reads = list('reads')
  const writes = list('writes')
  return {
    snippet,
    producer: header.get('producer') ?? '',
    exit: header.get('exit') ?? '0',
    key,
    ...(sources ? { sources } : {}),
    ...(options ? { options } : {}),
    ...(reads ? { reads } : {}),
    ...(writes ? { writes } : {}),
    output,
  }
}

/**
 * What a damaged stored output file holds as its output, for showing it (verify's diff): the text
 * after its `---` line, or the whole file when it has none; its `[exit: ...]` line as written.
 */
export function readStoredBody(file: string): string {
  if (!existsSync(file)) return ''
  const text = readFileSync(file, 'utf8')
  const end = text.indexOf(`\n${SEPARATOR}\n`)
  const output = end < 0 ? text : text.slice(end + SEPARATOR.length + 2)
  const exit = end < 0 ? undefined : /^exit: (.*)$/m.exec(text.slice(0, end))?.[1]
  return exit && exit !== '0' && exit !== '-' ? `${output}\n[exit: ${exit}]` : output
}

/** The stored output, or undefined when it is missing or damaged. */
export function readStored(file: string): StoredOutput | undefined {
  try {
    return readStoredStrict(file)
  } catch (error) {
    if (error instanceof CorruptStoredOutput) return undefined
    throw error
  }
}

export function formatStored(stored: StoredOutput): string {
  const lines = [`snippet: ${stored.snippet}`, `producer: ${stored.producer}`, `exit: ${stored.exit}`, `key: ${stored.key}`]
  if (stored.sources?.length) lines.push(`sources: ${stored.sources.join(' ')}`)
  if (stored.options?.length) lines.push(`options: ${stored.options.join(' ')}`)
  if (stored.reads?.length) lines.push(`reads: ${stored.reads.join(' ')}`)
  if (stored.writes?.length) lines.push(`writes: ${stored.writes.join(' ')}`)
  lines.push(`bytes: ${Buffer.byteLength(stored.output)}`, `output-hash: ${outputHash(stored.output)}`)
  return `${lines.join('\n')}\n${SEPARATOR}\n${stored.output}`
}

/** The output's hash in the header: a short sha256 (an edit, not an attack, is what it finds). */
function outputHash(output: string): string {
  return createHash('sha256').update(output).digest('hex').slice(0, 16)
}

export function writeStored(file: string, stored: StoredOutput): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, formatStored(stored))
  renameSync(tmp, file)
}

/**
 * The freshness key: what was run (and what it imports), what the run read, with what, and how.
 * Format 2 added the reads: an output stored before them says nothing of what it read, and is stale.
 */
export function freshnessKey(parts: { files: Array<[string, string]>; reads?: Array<[string, Buffer | undefined]>; producer: string; options: Record<string, unknown> }): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify({ format: 2, producer: parts.producer, options: parts.options }))
  for (const [name, content] of parts.files) hash.update(`\0${name}\0`).update(content)
  for (const [name, content] of parts.reads ?? []) {
    hash.update(`\0read\0${name}\0`)
    if (content === undefined) hash.update('\0absent')
    else hash.update(String(content.length)).update('\0').update(content)
  }
  return hash.digest('hex').slice(0, 32)
}

/** `file@hash` for the header: enough to tell which source changed. */
export function sourceStamp(name: string, content: string): string {
  return `${name}@${createHash('sha256').update(content).digest('hex').slice(0, 8)}`
}
