/** `npm run build -- --watch`: builds, builds again on a snippet edit, stops on Ctrl-C. */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../scripts/core/paths.ts'
import { waitFor } from './helpers/dev-server.ts'

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
  it('rebuilds dist/ when a snippet changes, until Ctrl-C', async () => {
    const html = path.join(project, 'dist', 'talk.html')
    const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'launch.mjs'), 'deck', 'build', 'slides/talk.md', '--html', '--out', 'dist', '--watch'], {
      cwd: project,
      env: { ...process.env, CI: '' },
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
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(130)
  })
})
