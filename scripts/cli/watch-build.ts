/**
 * `npm run build -- --watch`: builds, then builds again whenever a deck, a snippet, an image or
 * the theme changes, for those who present from the PDF. Each build is the ordinary `deck build`
 * in a child process (so its report, exit status and the up-to-date check are the usual ones: a
 * change that does not touch what a deck reads is a quick "up to date"). Edits during a build
 * make one more build after it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { describeInterrupt, onInterrupt } from '../core/interrupt.ts'
import { projectRoot } from '../core/paths.ts'
import { findSnippetsDir } from '../core/paths.ts'
import { findThemeDir } from '../render/theme.ts'
import { watchDeck } from '../dev/watcher.ts'

export async function watchBuild(decks: string[], buildArgs: string[]): Promise<number> {
  const launcher = path.join(projectRoot, 'scripts', 'launch.mjs')
  let child: ChildProcess | undefined
  let again = false
  let stopping = false
  const build = () => {
    if (stopping) return
    if (child) {
      again = true
      return
    }
    child = spawn(process.execPath, [launcher, 'deck', 'build', ...buildArgs], { stdio: 'inherit' })
    child.on('exit', () => {
      child = undefined
      console.error('Watching for changes (Ctrl-C stops)')
      if (again) {
        again = false
        build()
      }
    })
  }
  const folders = decks.flatMap((deck) => {
    const dir = path.dirname(path.resolve(deck))
    return [dir, findSnippetsDir(dir), findThemeDir(dir)]
  })
  await watchDeck(folders, build, 100)
  // Ctrl-C: the command line's interrupt handling exits; a build in progress is told too (it
  // stops its snippets and writes nothing).
  // What the finished builds wrote stays; a build cut short writes nothing.
  describeInterrupt('watching stopped (dist/ holds the last finished build)')
  onInterrupt(() => {
    stopping = true
    child?.kill('SIGINT')
  })
  build()
  // Runs until interrupted.
  return new Promise<number>(() => undefined)
}
