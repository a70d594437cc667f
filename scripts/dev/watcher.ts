/**
 * Watches the files a deck depends on (its folder, the snippets folder, the theme, and any other
 * file the last build read) and reports changes in batches: edits that come within `quietMs` of
 * each other make one batch, so an editor's save-and-rename or a burst of edits rebuilds once.
 */
import { statSync } from 'node:fs'
import path from 'node:path'
import { watch, type FSWatcher } from 'chokidar'

/** Never a source of the deck: build products, caches, stored outputs, editor scratch files. */
const IGNORED_SEGMENT = /^(node_modules|\.git|\.cache|dist|\.outputs|__pycache__)$/
const EDITOR_SCRATCH = /(^\.#|~$|\.sw[px]$|^4913$|^\.DS_Store$)/

/** How long chokidar ignores further changes of a file after reporting one. */
const CHANGE_THROTTLE_MS = 50

/** What tells one version of a file from the next (gone: its own stamp). */
function stamp(file: string): string {
  try {
    const stat = statSync(file, { bigint: true })
    return `${stat.mtimeNs}:${stat.size}:${stat.ino}`
  } catch {
    return 'gone'
  }
}

export interface DeckWatcher {
  /** Adds files or folders (for example the inputs of a new build); known ones are ignored. */
  add(paths: string[]): void
  close(): Promise<void>
}

export async function watchDeck(folders: string[], onChange: (files: string[]) => void, quietMs = 20, onError: (error: Error) => void = () => undefined): Promise<DeckWatcher> {
  const absolute = [...new Set(folders.map((dir) => path.resolve(dir)))]
  // A folder inside another is watched through it.
  const roots = absolute.filter((dir) => !absolute.some((other) => other !== dir && dir.startsWith(other + path.sep)))
  const watched = new Set<string>(roots)
  const ignored = (file: string) => {
    const root = roots.find((dir) => file === dir || file.startsWith(dir + path.sep))
    const relative = root ? path.relative(root, file) : path.basename(file)
    const segments = relative.split(path.sep)
    return segments.some((segment) => IGNORED_SEGMENT.test(segment)) || EDITOR_SCRATCH.test(path.basename(file))
  }
  // Symlinks are watched as links, not followed: a loop (`snippets/a -> ..`, or `a -> b -> a`)
  // would otherwise end the server on ELOOP, or walk without end. A snippet behind a symlink is
  // read only when its real file is in snippets/ (snippets/remark-snippets.ts), which is watched.
  const watcher: FSWatcher = watch(roots, { ignoreInitial: true, ignored, followSymlinks: false, depth: 32 })
  // A folder that cannot be read is reported, never thrown (an 'error' without a listener ends Node).
  watcher.on('error', (error) => onError(error instanceof Error ? error : new Error(String(error))))
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let recheck: NodeJS.Timeout | undefined
  const changed = (file: string) => {
    pending.add(path.resolve(file))
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      const batch = [...pending]
      pending = new Set()
      timer = undefined
      // chokidar drops a second change of a file within 50 ms of the first (its throttle), so a
      // save right after a save (a formatter rewriting the file the editor just wrote, a fix
      // typed fast after a broken save) would be lost: the batch's files are looked at again
      // once that time has passed, and one that changed since is a change.
      const seen = new Map(batch.map((changedFile) => [changedFile, stamp(changedFile)]))
      if (recheck) clearTimeout(recheck)
      recheck = setTimeout(() => {
        recheck = undefined
        for (const [changedFile, before] of seen) if (stamp(changedFile) !== before) changed(changedFile)
      }, CHANGE_THROTTLE_MS + quietMs)
      onChange(batch)
    }, quietMs)
  }
  watcher.on('add', changed).on('change', changed).on('unlink', changed)
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  const add = (paths: string[]) => {
    const fresh = paths.map((file) => path.resolve(file)).filter((file) => !watched.has(file) && !roots.some((dir) => file.startsWith(dir + path.sep)))
    for (const file of fresh) watched.add(file)
    if (fresh.length > 0) watcher.add(fresh)
  }
  await ready
  return {
    add,
    async close() {
      if (timer) clearTimeout(timer)
      if (recheck) clearTimeout(recheck)
      await watcher.close()
    },
  }
}
