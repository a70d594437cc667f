/**
 * `npm run build -- --watch`: builds, then builds again whenever a deck, a snippet, an image or
 * the theme changes, for those who present from the PDF. Each build is the ordinary `deck build`
 * (`build`: runDeck in cli/deck.ts, so its report, exit status and the up-to-date check are the
 * usual ones: a change that does not touch what a deck reads is a quick "up to date"), run in this
 * process: Marp's thread and the browser stay up between builds, so a save costs the build's own
 * work, not a Node start, Marp's load and Chromium's start. Edits during a build make one more
 * build after it.
 */
import path from 'node:path'
import { describeInterrupt } from '../core/interrupt.ts'
import { findSnippetsDir } from '../core/paths.ts'
import { findThemeDir } from '../render/theme.ts'
import { watchDeck } from '../dev/watcher.ts'
import { stopWhenParentsEnd } from './parent-watch.ts'

export async function watchBuild(decks: string[], buildArgs: string[], build: (args: string[]) => Promise<number>): Promise<number> {
  let building = false
  let again = false
  const next = () => {
    if (building) {
      again = true
      return
    }
    building = true
    void build(buildArgs).then(() => {
      building = false
      console.error('Watching for changes (Ctrl-C stops)')
      if (again) {
        again = false
        next()
      }
    })
  }
  const folders = decks.flatMap((deck) => {
    const dir = path.dirname(path.resolve(deck))
    return [dir, findSnippetsDir(dir), findThemeDir(dir)]
  })
  await watchDeck(folders, next)
  // Ctrl-C: the command line's interrupt handling stops a build in progress (its snippets, its
  // scratch files: it writes nothing) and exits; what the finished builds wrote stays.
  describeInterrupt('watching stopped (dist/ holds the last finished build)')
  // npm stopped or killed: stop as on SIGHUP, saying why.
  stopWhenParentsEnd()
  next()
  // Runs until interrupted.
  return new Promise<number>(() => undefined)
}
