/**
 * Skips a build whose inputs have not changed since the last successful one, as make would: the
 * deck, every file it read (images, snippet code, stored outputs, files snippets import), the
 * theme and the toolchain itself, and the outputs still being there as written. Kept small and
 * free of heavy imports, since it runs before anything else is loaded.
 */
import { createHash } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { cacheKey, hashFile, readCache, toolchainFingerprint, writeCache } from '../core/cache.ts'

interface Manifest {
  toolchain: string
  options: string
  inputs: Record<string, string>
  outputs: Record<string, { size: number; mtimeMs: number }>
}

function manifestKey(deckPath: string, outDir: string): string {
  return cacheKey(path.resolve(deckPath), path.resolve(outDir))
}

export function isUpToDate(deckPath: string, outDir: string, options: string): boolean {
  const manifest = readCache<Manifest>('builds', manifestKey(deckPath, outDir))
  if (!manifest) return false
  if (manifest.options !== options || manifest.toolchain !== toolchainFingerprint()) return false
  for (const [file, { size, mtimeMs }] of Object.entries(manifest.outputs)) {
    try {
      const stat = statSync(file)
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return false
    } catch {
      return false
    }
  }
  return Object.entries(manifest.inputs).every(([file, hash]) => inputHash(file) === hash)
}

export function recordBuild(deckPath: string, outDir: string, options: string, inputs: Iterable<string>, outputs: string[]): void {
  const manifest: Manifest = {
    toolchain: toolchainFingerprint(),
    options,
    inputs: Object.fromEntries([path.resolve(deckPath), ...inputs].map((file) => [file, inputHash(file)])),
    outputs: Object.fromEntries(outputs.map((file) => {
      const stat = statSync(file)
      return [file, { size: stat.size, mtimeMs: stat.mtimeMs }]
    })),
  }
  writeCache('builds', manifestKey(deckPath, outDir), manifest)
}

/**
 * What an input is now: a file's content hash; a folder's list of file names (a snippet whose
 * folder stands for its inputs: a new file there); `-` for a missing file (a file a snippet tried
 * to open: creating it counts).
 */
function inputHash(file: string): string {
  try {
    if (!statSync(file).isDirectory()) return hashFile(file) ?? '-'
  } catch {
    return '-'
  }
  const hash = createHash('sha256')
  let budget = 5_000
  const walk = (dir: string) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))
    } catch {
      return
    }
    for (const entry of entries) {
      if (--budget < 0 || /^(\.outputs|node_modules|\.git|__pycache__)$/.test(entry.name)) continue
      hash.update(`${path.join(dir, entry.name)}\0`)
      if (entry.isDirectory()) walk(path.join(dir, entry.name))
    }
  }
  walk(file)
  return `folder:${hash.digest('hex')}`
}
