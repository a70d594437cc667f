/**
 * Which files of the deck's project a snippet created, changed or removed outside its own folder
 * (a snippet that writes into dist/, snippets/ or the project root is named in a warning): the
 * project's files (size and modification time) before and after the run. Folders the toolchain
 * itself or package managers write to are left out, and the walk is bounded.
 */
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const SKIPPED = new Set(['node_modules', '.git', '.cache'])
const MAX_ENTRIES = 20_000

export type ProjectSnapshot = Map<string, string>

/** Size and modification time of the project's files, `skipped` folders (the snippets' own) left out. */
export function snapshotProject(root: string, skipped: Set<string>): ProjectSnapshot {
  const files: ProjectSnapshot = new Map()
  let budget = MAX_ENTRIES
  const walk = (dir: string) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (--budget < 0) return
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        // The build's own scratch folders come and go while snippets run in other decks' builds.
        if (!SKIPPED.has(entry.name) && !skipped.has(file) && !entry.name.startsWith('.build-')) walk(file)
        continue
      }
      try {
        const stat = statSync(file)
        files.set(file, `${stat.size}:${stat.mtimeMs}`)
      } catch {
        // removed meanwhile
      }
    }
  }
  walk(root)
  return files
}

/** Files created, changed or removed between two snapshots, relative to `root`, sorted. */
export function changedFiles(before: ProjectSnapshot, after: ProjectSnapshot, root: string): string[] {
  const changed = new Set<string>()
  for (const [file, stamp] of after) if (before.get(file) !== stamp) changed.add(file)
  for (const file of before.keys()) if (!after.has(file)) changed.add(file)
  return [...changed].map((file) => path.relative(root, file).split(path.sep).join('/')).sort()
}
