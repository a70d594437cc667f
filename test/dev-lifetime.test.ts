/**
 * The dev server's life follows its command, started as a user starts it (`npm run dev`): a
 * SIGTERM to npm's pid (which npm passes to `sh`, not to the server) stops the server, the snippet
 * it runs on stage and its browser within 3 s, and frees the port; SIGHUP (a closed terminal) to
 * the server does the same; a busy port is one line naming the port and `--port`, exit 2, before
 * any build. Processes are tracked by pid (those below npm), not by scanning the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../scripts/core/paths.ts'
import { descendants, listeningAddresses, running, startDev, waitFor } from './helpers/dev-server.ts'
import { runCliProcess } from './helpers/cli.ts'

let project: string
const file = (...parts: string[]) => path.join(project, ...parts)
const started: ChildProcess[] = []

/** `npm run dev -- ARGS` in the project's checkout, as a user types it. */
function npmRunDev(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn('npm', ['run', 'dev', '--', ...args], { cwd: projectRoot, env: { ...process.env, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let text = ''
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => text, exited }
}

function post(url: string, rawPath: string, body: unknown): Promise<number> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path: rawPath, method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    outgoing.on('error', reject)
    outgoing.end(JSON.stringify(body))
  })
}

beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-life-'))
  for (const dir of ['slides', 'snippets/demo', 'theme', 'gate']) mkdirSync(file(dir), { recursive: true })
  writeFileSync(file('slides', 'talk.md'), '---\ntitle: Life\n---\n\n## Run\n\n```{.output run="demo/hold.py"}\n```\n')
  // Marks that it ran; while the gate `hold` is there, it waits (a snippet running on stage).
  writeFileSync(
    file('snippets', 'demo', 'hold.py'),
    `import os, time\nopen(${JSON.stringify(file('gate', 'ran'))}, "w").close()\nwhile os.path.exists(${JSON.stringify(file('gate', 'hold'))}):\n    time.sleep(0.02)\nprint("held")\n`,
  )
  for (const name of readdirSync(path.join(projectRoot, 'theme'))) copyFileSync(path.join(projectRoot, 'theme', name), file('theme', name))
})

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(project, { recursive: true, force: true })
})

describe('the dev server stops with its command', () => {
  it('refuses a busy port in one line, exit 2, before any build', async () => {
    const busy: Server = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const port = (busy.address() as AddressInfo).port
    rmSync(file('gate', 'ran'), { force: true })
    try {
      const dev = npmRunDev([file('slides', 'talk.md'), '--port', String(port)])
      expect(await dev.exited).toBe(2)
      // npm's own lines (its `> script` header, its `npm error` report of the exit status) aside.
      const ours = dev.output().split('\n').filter((line) => line.trim() !== '' && !/^(> |npm (error|ERR!|warn))/.test(line))
      expect(ours).toEqual([`deck: Port ${port} on 127.0.0.1 is in use (another \`npm run dev\`?): stop what listens there or choose another port with --port N (--port 0: any free port)`])
      expect(dev.output()).not.toMatch(/^\s+at /m)
      // Before any build: the deck's snippet did not run.
      expect(existsSync(file('gate', 'ran'))).toBe(false)
    } finally {
      busy.close()
    }
  })

  it('refuses a bad --talk-length in one line, exit 2', async () => {
    // A child process, as every `deck dev` of this file: the dev command is the subject.
    const result = await runCliProcess(['dev', file('slides', 'talk.md'), '--talk-length', 'soon'])
    expect(result.status).toBe(2)
    expect(result.stderr.trim()).toBe('deck: Expected --talk-length to be a length of time such as `30min`, `1h15min` or `25:00`, not `soon`; see `npm run dev -- --help`')
  })

  it('stops the server, its snippet and its browser within 3 s of a SIGTERM to npm, and frees the port', async () => {
    const dev = npmRunDev([file('slides', 'talk.md'), '--port', '0'])
    const url = await waitFor('the addresses', () => /audience\s+(http\S+)/.exec(dev.output())?.[1], 120_000)
    const port = Number(new URL(url).port)
    // A snippet running on stage, held until the gate goes.
    writeFileSync(file('gate', 'hold'), '')
    rmSync(file('gate', 'ran'), { force: true })
    expect(await post(url, '/__dev/run', { snippet: 'demo/hold.py' })).toBe(202)
    await waitFor('the snippet running', () => existsSync(file('gate', 'ran')))
    const tree = descendants(dev.child.pid!)
    // sh, the server, the snippet (and what the server started besides: the fit check's browser).
    expect(tree.length).toBeGreaterThanOrEqual(3)
    expect(listeningAddresses(port)).toEqual(['127.0.0.1'])
    const sent = Date.now()
    dev.child.kill('SIGTERM')
    await waitFor('every process of the server to end and the port to be free', () => tree.every((pid) => !running(pid)) && listeningAddresses(port).length === 0, 3000).catch((error: unknown) => {
      throw new Error(`${String(error)}: left ${tree.filter(running).join(', ')}; listening: ${listeningAddresses(port).join(', ')}\n${dev.output()}`)
    })
    expect(Date.now() - sent).toBeLessThan(3000)
    // Why it stopped: its command, not a signal to itself.
    expect(dev.output().trim().split('\n').at(-1)).toBe('Stopped (`npm run dev` ended): stopped 1 running snippet; the dev server stopped')
    rmSync(file('gate', 'hold'))
  })

  it('stops on SIGHUP (its terminal closed) with no process left', async () => {
    const dev = await startDev(file('slides', 'talk.md'), project)
    const port = Number(new URL(dev.url).port)
    const tree = [dev.child.pid!, ...descendants(dev.child.pid!)]
    const exited = new Promise<number | null>((resolve) => dev.child.once('exit', (code) => resolve(code)))
    dev.child.kill('SIGHUP')
    expect(await exited).toBe(129)
    expect(dev.output().trim().split('\n').at(-1)).toBe('Interrupted (SIGHUP); the dev server stopped')
    await waitFor('every process of the server to end and the port to be free', () => tree.every((pid) => !running(pid)) && listeningAddresses(port).length === 0, 10_000)
  })
})
