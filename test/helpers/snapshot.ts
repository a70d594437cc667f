/** What a failed build must leave as it was: dist/ and the stored outputs. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

/** Every file under `out` (dist/) and every stored output under `dir`/snippets, byte for byte. */
export function snapshot(project: { dir: string; out: string }): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (dir: string) => {
    if (!existsSync(dir)) return
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry)
      if (statSync(file).isDirectory()) walk(file)
      else if (file.startsWith(project.out) || file.includes(`${path.sep}.outputs${path.sep}`)) files[path.relative(project.dir, file)] = readFileSync(file, 'latin1')
    }
  }
  walk(project.out)
  walk(path.join(project.dir, 'snippets'))
  return files
}
