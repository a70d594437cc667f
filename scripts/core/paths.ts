/**
 * Where the project's folders are, wherever the command is run from, and whether the code runs
 * from scripts/ (tests, tsx) or from the bundle in .cache/toolchain/ (scripts/launch.mjs).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'scripts', 'launch.mjs'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`Cannot find the project folder above ${start}`)
  }
}

export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)))
export const slidesDir = path.join(projectRoot, 'slides')
export const snippetsDir = path.join(projectRoot, 'snippets')
export const distDir = path.join(projectRoot, 'dist')

/** `snippets/` beside the deck's folder (slides/../snippets), in it, or the project's. */
export function findSnippetsDir(deckDir: string): string {
  for (const candidate of [path.join(deckDir, '..', 'snippets'), path.join(deckDir, 'snippets')]) {
    if (existsSync(candidate)) return path.resolve(candidate)
  }
  return snippetsDir
}
