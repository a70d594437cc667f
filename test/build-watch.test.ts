/**
 * `npm run build -- --watch`: builds, builds again on a snippet edit, stops on Ctrl-C, and stops
 * when the npm that started it is stopped.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../scripts/core/paths.ts'
import { descendants, running, waitFor } from './helpers/dev-server.ts'
import { loggedBrowser } from './helpers/browser.ts'

let project: string
beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-watch-'))
  mkdirSync(path.join(project, 'slides'))
  mkdirSync(path.join(project, 'snippets', 'demo'), { recursive: true })
  writeFileSync(path.join(project, 'slides', 'talk.md'), '---\ntitle: Watch\n---\n\n## Output\n\n```{.output run="demo/hello.py"}\n```\n')
  writeFileSync(path.join(project, 'snippets', 'demo', 'hello.py'), 'print("first")\n')
})
afterAll(() => rmSync(project, { recursive: true, force: true }))

describe('build --watch', () => {
  it('rebuilds dist/ when a snippet changes, until Ctrl-C; its browser has a renderer per page', async () => {
    const html = path.join(project, 'dist', 'talk.html')
    // (A browser in one process, as a one-shot HTML build has, would keep what each closed page took.)
    const { wrapper, log } = await loggedBrowser(project, '"$@"')
    const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'launch.mjs'), 'deck', 'build', 'slides/talk.md', '--html', '--out', 'dist', '--watch'], {
      cwd: project,
      env: { ...process.env, CI: '', CHROME_PATH: wrapper },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      await waitFor('the first build', () => output.includes('Watching for changes') && existsSync(html) && readFileSync(html, 'utf8').includes('first'))
      writeFileSync(path.join(project, 'snippets', 'demo', 'hello.py'), 'print("second")\n')
      await waitFor('the rebuild', () => readFileSync(html, 'utf8').includes('second'))
      expect(output).toContain('ran snippets/demo/hello.py')
      const starts = readFileSync(log, 'utf8').trim().split('\n')
      expect(starts).toHaveLength(1)
      expect(starts[0]).toContain('--remote-debugging-pipe')
      expect(starts[0]).not.toContain('--single-process')
      // A file the deck does not read: a quick "up to date", without the one-shot command's hint.
      // (Waited for by its line: the HTML is in place before the build's last line is printed.)
      writeFileSync(path.join(project, 'slides', 'notes.txt'), 'not read by the deck\n')
      await waitFor('the up-to-date line after an unrelated change', () => output.includes('slides/talk.md: up to date (nothing changed since the last build)\n'), 30_000)
      expect(output).not.toContain('--force')
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(130)
  })
})

describe('build --watch, the project\'s theme edited', () => {
  it('rebuilds with the edited theme (the toolchain\'s theme is read again at each build of the process)', async () => {
    // A copy of the toolchain (its code, theme and lockfile; its packages linked): its theme is
    // the one edited, not the project's that other tests build with.
    const copy = mkdtempSync(path.join(os.tmpdir(), 'deck-watch-theme-'))
    try {
      for (const entry of ['scripts', 'theme', 'package.json', 'package-lock.json']) cpSync(path.join(projectRoot, entry), path.join(copy, entry), { recursive: true })
      symlinkSync(path.join(projectRoot, 'node_modules'), path.join(copy, 'node_modules'))
      mkdirSync(path.join(copy, 'slides'))
      writeFileSync(path.join(copy, 'slides', 'talk.md'), '---\ntitle: Themed\n---\n\n## One\n\nText.\n')
      const html = path.join(copy, 'dist', 'talk.html')
      const child = spawn(process.execPath, [path.join(copy, 'scripts', 'launch.mjs'), 'deck', 'build', 'slides/talk.md', '--html', '--out', 'dist', '--watch'], {
        cwd: copy,
        env: { ...process.env, CI: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let output = ''
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      try {
        await waitFor('the first build', () => output.includes('Watching for changes') && existsSync(html), 60_000)
        const marker = `deck-watch-theme-${process.pid}`
        expect(readFileSync(html, 'utf8')).not.toContain(marker)
        const theme = path.join(copy, 'theme', 'frankfurt.css')
        writeFileSync(theme, `${readFileSync(theme, 'utf8')}\nsection h2 { --${marker}: 1; }\n`)
        await waitFor('the rebuild with the edited theme', () => existsSync(html) && readFileSync(html, 'utf8').includes(marker), 60_000)
      } finally {
        child.kill('SIGINT')
      }
      expect(await exited).toBe(130)
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })
})

describe('npm run build -- --watch', () => {
  it('stops with its browser within 3 s of a SIGTERM to npm (which does not pass it on), saying why', async () => {
    const out = path.join(project, 'npm-dist')
    // A text of its own: its fit check runs (not a remembered verdict), so the browser is up.
    const deck = path.join(project, 'slides', 'npm.md')
    writeFileSync(deck, `---\ntitle: Watch\n---\n\n## Under npm ${process.pid} ${Date.now()}\n\nText.\n`)
    const child = spawn('npm', ['run', 'build', '--', deck, '--html', '--out', out, '--watch'], {
      cwd: projectRoot,
      env: { ...process.env, CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    try {
      await waitFor('the first build', () => output.includes('Watching for changes') && existsSync(path.join(out, 'npm.html')), 120_000)
      // sh, node, and the fit check's browser (kept between builds).
      const tree = descendants(child.pid!)
      expect(tree.length, output).toBeGreaterThanOrEqual(3)
      child.kill('SIGTERM')
      await waitFor('every process below npm to end', () => tree.every((pid) => !running(pid)), 3000).catch((error: unknown) => {
        throw new Error(`${String(error)}\nstill running: ${tree.filter(running).join(', ')}\n${output}`)
      })
      expect(output).toContain('Stopped (`npm run build` ended)')
    } finally {
      for (const pid of descendants(child.pid!)) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone
        }
      }
      child.kill('SIGKILL')
    }
  })
})
