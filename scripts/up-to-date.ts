/**
 * Skips a build whose inputs have not changed since the last successful one, as make would: the
 * deck, every file it read (images, snippet code, stored outputs, files snippets import), the
 * theme and the toolchain itself, and the outputs still being there as written. Kept small and
 * free of heavy imports, since it runs before anything else is loaded.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from './paths.ts'

interface Manifest {
  toolchain: string
  options: string
  inputs: Record<string, string>
  outputs: Record<string, { size: number; mtimeMs: number }>
}

function manifestFile(deckPath: string, outDir: string): string {
  const id = createHash('sha256').update(`${path.resolve(deckPath)}\0${path.resolve(outDir)}`).digest('hex').slice(0, 16)
  return path.join(projectRoot, '.cache', 'builds', `${id}.json`)
}

function hashFile(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex')
  } catch {
    return undefined
  }
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return filesUnder(file, pattern)
    return pattern.test(entry.name) ? [file] : []
  })
}

let toolchainHash: string | undefined
/** The toolchain's own code, theme and locked dependencies. */
function toolchainFingerprint(): string {
  if (toolchainHash) return toolchainHash
  const hash = createHash('sha256')
  const files = [
    ...filesUnder(path.join(projectRoot, 'scripts'), /\.(ts|mjs|py)$/),
    ...filesUnder(path.join(projectRoot, 'theme'), /\.css$/),
    path.join(projectRoot, 'package-lock.json'),
  ].sort()
  for (const file of files) hash.update(file).update(hashFile(file) ?? '')
  toolchainHash = hash.digest('hex')
  return toolchainHash
}

export function isUpToDate(deckPath: string, outDir: string, options: string): boolean {
  let manifest: Manifest
  try {
    manifest = JSON.parse(readFileSync(manifestFile(deckPath, outDir), 'utf8')) as Manifest
  } catch {
    return false
  }
  if (manifest.options !== options || manifest.toolchain !== toolchainFingerprint()) return false
  for (const [file, { size, mtimeMs }] of Object.entries(manifest.outputs)) {
    try {
      const stat = statSync(file)
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return false
    } catch {
      return false
    }
  }
  return Object.entries(manifest.inputs).every(([file, hash]) => hashFile(file) === hash)
}

export function recordBuild(deckPath: string, outDir: string, options: string, inputs: Iterable<string>, outputs: string[]): void {
  const manifest: Manifest = {
    toolchain: toolchainFingerprint(),
    options,
    inputs: Object.fromEntries([path.resolve(deckPath), ...inputs].map((file) => [file, hashFile(file) ?? ''])),
    outputs: Object.fromEntries(outputs.map((file) => {
      const stat = statSync(file)
      return [file, { size: stat.size, mtimeMs: stat.mtimeMs }]
    })),
  }
  const target = manifestFile(deckPath, outDir)
  mkdirSync(path.dirname(target), { recursive: true })
  writeFileSync(`${target}.tmp`, JSON.stringify(manifest, null, 1))
  renameSync(`${target}.tmp`, target)
}
