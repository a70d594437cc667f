/**
 * Highlighted code kept in .cache/highlight.json, keyed by language and code: a build whose code
 * blocks did not change never loads Shiki or its grammars (the costliest part of rendering HTML).
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../paths.ts'

const cacheFile = path.join(projectRoot, '.cache', 'highlight.json')

export function highlightKey(code: string, lang: string): string {
  return createHash('sha256').update(lang).update('\0').update(code).digest('base64url').slice(0, 24)
}

export function readHighlightCache(): Map<string, string> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>))
  } catch {
    return new Map()
  }
}

/** Keeps only the entries of the latest build, so the file does not grow forever. */
export function writeHighlightCache(entries: Map<string, string>): void {
  mkdirSync(path.dirname(cacheFile), { recursive: true })
  const tmp = `${cacheFile}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(Object.fromEntries(entries)))
  renameSync(tmp, cacheFile)
}
