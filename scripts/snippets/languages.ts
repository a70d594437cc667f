/** What the toolchain knows of each snippet language: its runner and its comment token. */
import path from 'node:path'

export type RunnerName = 'python' | 'sh' | 'node' | 'node-ts'

export interface Language {
  runner: RunnerName
  /** The line-comment token that region markers use. */
  comment: string
  /** Extensions of the files a snippet can import (for the freshness key). */
  importable: string[]
}

const BY_EXTENSION: Record<string, Language> = {
  '.py': { runner: 'python', comment: '#', importable: ['.py'] },
  '.sh': { runner: 'sh', comment: '#', importable: ['.sh'] },
  '.js': { runner: 'node', comment: '//', importable: ['.js', '.mjs', '.cjs', '.json'] },
  '.mjs': { runner: 'node', comment: '//', importable: ['.js', '.mjs', '.cjs', '.json'] },
  '.cjs': { runner: 'node', comment: '//', importable: ['.js', '.mjs', '.cjs', '.json'] },
  '.ts': { runner: 'node-ts', comment: '//', importable: ['.ts', '.js', '.mjs', '.json'] },
}

export function languageOf(file: string): Language | undefined {
  return BY_EXTENSION[path.extname(file).toLowerCase()]
}
