/**
 * Hostile snippets, one row each. Rows that check what the built page or the stored output shows
 * (and those marked `cli`) are built through the command line as a user would (those that build
 * cleanly share a deck, a slide each, as a talk's snippets do); the others only
 * check a message, so the deck is parsed in this process (its snippets run as in a build,
 * helpers/prepare.ts). For each: what the build says, its exit status, that no process the row started is left (tracked by the row: the CLI's
 * environment carries a marker of the test's own, and snippets write their pids to a file), and
 * that dist/ and the stored outputs are byte-identical after a failure. Then Ctrl-C during a
 * snippet run and during rendering.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from './helpers/cli.ts'
import { renderTerminal } from '../scripts/snippets/terminal.ts'
import { ansiToHtml } from '../scripts/snippets/ansi-html.ts'
import { normalizeOutput } from '../scripts/snippets/normalize.ts'
import { outputTail } from '../scripts/snippets/remark-snippets.ts'
import { obtainOutputs } from '../scripts/snippets/outputs.ts'
import { writeStored } from '../scripts/snippets/store.ts'
import { MARK_VARIABLE, RECORD_PID_PY, RECORD_PID_SH, markedProcesses, markedProcessesLeft, newMark, runCliAsync, survivorsLeft } from './helpers/processes.ts'
import { snapshot } from './helpers/snapshot.ts'
import type { CliResult } from './helpers/cli.ts'
import { prepareMessages } from './helpers/prepare.ts'

let work: string
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-hostile-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const PREVIOUS_HTML = '<p>previous build</p>'
const COMMITTED = 'snippet: demo/kept.py\nproducer: CPython 3.11.7\nexit: 0\nkey: 0123456789abcdef0123456789abcdef\n---\nkept\n'

interface Project {
  dir: string
  out: string
  pids: string
}

/** A project: talk.md, snippets/demo/<files>, a previous dist/ and a committed output. */
function project(files: Record<string, string>, deck: string): Project {
  const dir = mkdtempSync(path.join(work, 'case-'))
  const demo = path.join(dir, 'snippets', 'demo')
  const pids = path.join(dir, 'pids')
  mkdirSync(path.join(demo, '.outputs'), { recursive: true })
  mkdirSync(path.join(dir, 'dist'))
  writeFileSync(path.join(dir, 'dist', 'talk.html'), PREVIOUS_HTML)
  writeFileSync(path.join(demo, 'kept.py'), 'print("kept")\n')
  writeFileSync(path.join(demo, '.outputs', 'kept.py.out'), COMMITTED)
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(demo, name), text.replaceAll('{PIDS}', pids), { mode: 0o755 })
  writeFileSync(path.join(dir, 'talk.md'), deck)
  return { dir, out: path.join(dir, 'dist'), pids }
}


interface Row {
  name: string
  files: Record<string, string>
  /** The output block's attributes (the snippet is `demo/<first file>`). */
  attributes?: string
  /** Front matter lines (without the `---`). */
  frontMatter?: string
  status: 0 | 1
  /** Through the command line even without `shows`. */
  cli?: boolean
  messages: RegExp[]
  /** The most the build may print to the terminal, in characters. */
  stderrUnder?: number
  /** Checks on the built HTML (success) and the stored output. */
  shows?: (html: string, stored: string) => void
}

const sh = (body: string) => `#!/bin/sh\nexport PIDS={PIDS}\n${body}\n`
const py = (body: string) => `import os, sys, time\nPIDS = "{PIDS}"\n${body}\n`

const rows: Row[] = [
  {
    name: 'a daemon that escapes with setsid is stopped and named',
    files: { 'escape.sh': sh(`setsid sh -c '${RECORD_PID_SH.replace(/'/g, `'"'"'`)}; exec sleep 301' &\nsleep 0.2\necho started a daemon`) },
    status: 0,
    messages: [/talk\.md:3:1 warning `snippets\/demo\/escape\.sh` left a process running after it ended, now stopped: `sleep 301` \(pid \d+\)/],
  },
  {
    name: 'a double-forked daemon is stopped and named',
    files: { 'double.sh': sh(`( ( sh -c '${RECORD_PID_SH.replace(/'/g, `'"'"'`)}; exec sleep 302' & ) & )\nsleep 0.2\necho forked twice`) },
    status: 0,
    messages: [/warning `snippets\/demo\/double\.sh` left a process running after it ended, now stopped: `sleep 302`/],
  },
  {
    name: 'a Python daemon (fork, setsid, fork) is stopped and named',
    files: {
      'daemon.py': py(
        `if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        ${RECORD_PID_PY}\n        time.sleep(303)\n    os._exit(0)\ntime.sleep(0.3)\nprint("daemonised")`,
      ),
    },
    status: 0,
    messages: [/warning `snippets\/demo\/daemon\.py` left a process running after it ended, now stopped: `.*python.*daemon\.py`/],
  },
  {
    name: 'a multiprocessing child that leaves the session is stopped and named',
    files: {
      'mp_daemon.py': py(
        `import multiprocessing\n\ndef serve():\n    os.setsid()\n    ${RECORD_PID_PY}\n    time.sleep(308)\n\nif __name__ == "__main__":\n    multiprocessing.set_start_method("fork")\n    multiprocessing.Process(target=serve, daemon=True).start()\n    time.sleep(0.5)\n    print("leaving without cleanup", flush=True)\n    os._exit(0)`,
      ),
    },
    status: 0,
    messages: [/warning `snippets\/demo\/mp_daemon\.py` left a process running after it ended, now stopped: `python3[\d.]* mp_daemon\.py`/],
  },
  {
    name: "reading the parent's environment finds only the pinned one",
    files: { 'parent_env.sh': sh(`tr '\\0' '\\n' < /proc/$PPID/environ | sort | grep -v '^DECK_SNIPPET_RUN=' | cut -d= -f1 | tr '\\n' ' '\necho\ntr '\\0' '\\n' < /proc/$PPID/environ | grep -c HOSTILE_SECRET || true`) },
    status: 0,
    messages: [],
    shows: (html, stored) => {
      for (const text of [html, stored]) expect(text).not.toContain('hunter2')
      expect(stored).toContain('---\nCOLUMNS LANG LC_ALL LINES NO_COLOR PATH TERM TZ \n0\n')
    },
  },
  {
    name: 'writing into dist/ and the project root is named',
    files: { 'writer.py': py('open("../../dist/planted.html", "w").write("x")\nopen("../../planted.txt", "w").write("x")\nopen("../planted.txt", "w").write("x")\nopen("own.txt", "w").write("fine")\nprint("wrote")') },
    status: 0,
    messages: [/warning `snippets\/demo\/writer\.py` wrote into the project outside its own folder: `dist\/planted\.html`, `planted\.txt`, `snippets\/planted\.txt` \(snippet-writes\)/],
  },
  {
    name: 'erase-line, carriage return and backspace show what a terminal shows, no control character',
    files: { 'progress.sh': sh(`printf 'downloading...\\r\\033[2Kdone\\n'\nprintf 'abc\\bX\\n'\nprintf '\\033[31mred\\033[0m plain\\a\\n'`) },
    status: 0,
    messages: [],
    shows: (html, stored) => {
      expect(stored.split('---\n')[1]).toBe('done\nabX\nred plain\n')
      expect(html).toContain('done\nabX\nred plain\n')
      expect(stored).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
    },
  },
  {
    name: 'colours are kept as HTML colours with color=true',
    files: { 'colours.sh': sh(`printf '\\033[31mred\\033[0m and \\033[1;38;5;21mblue\\033[0m\\n'`) },
    attributes: 'color=true',
    status: 0,
    messages: [],
    shows: (html) => {
      expect(html).toContain('<span style="color:#cd0000">red</span> and <span style="font-weight:bold;color:#0000ff">blue</span>')
    },
  },
  {
    name: 'colours are kept with the front matter default snippet-color: true',
    files: { 'deck_colours.sh': sh(`printf '\\033[32mgreen\\033[0m\n'`) },
    frontMatter: 'snippet-color: true',
    status: 0,
    messages: [],
    shows: (html, stored) => {
      expect(stored.split('---\n')[1]).toBe('\x1b[0;38;5;2mgreen\x1b[0m\n')
      expect(html).toContain('<span style="color:#00cd00">green</span>')
    },
  },
  {
    name: 'normalisation replaces only whole machine paths',
    files: { 'paths.sh': sh(`echo "https://example.com${os.tmpdir()}/report.txt"\necho "${os.homedir()}fs ${os.homedir()}/notes.txt"\necho "$(pwd)/x.txt"`) },
    status: 0,
    messages: [],
    shows: (_html, stored) => {
      expect(stored.split('---\n')[1]).toBe(`https://example.com${os.tmpdir()}/report.txt\n${os.homedir()}fs ~/notes.txt\nsnippets/demo/x.txt\n`)
    },
  },
  {
    name: 'a bash script with arrays runs under the bash its shebang names',
    files: { 'arrays.sh': '#!/usr/bin/env bash\nwords=(zero one two)\necho "${words[2]} of ${#words[@]}"\n' },
    status: 0,
    messages: [],
    shows: (_html, stored) => expect(stored).toMatch(/producer: bash\n[\s\S]*---\ntwo of 3\n$/),
  },
  {
    name: 'a shebang naming a missing interpreter is an error naming it',
    files: { 'missing.sh': '#!/usr/bin/env no-such-shell-9\necho hi\n' },
    status: 1,
    messages: [/talk\.md:3:1 error Cannot run `snippets\/demo\/missing\.sh`: no `no-such-shell-9` \(from its `#!` line\) on PATH/],
  },
  {
    name: 'a TypeScript snippet leaves no process behind (its esbuild helper is not one)',
    files: { 'typed.ts': 'const point: { x: number } = { x: 1 }\nconsole.log(`x=${point.x}`)\n' },
    status: 0,
    messages: [],
    shows: (_html, stored) => expect(stored.endsWith('---\nx=1\n')).toBe(true),
  },
  {
    name: 'one 5 MB line: an error whose terminal message stays short; outputs kept',
    files: { 'flood.py': py('sys.stdout.write("x" * 5_000_000)') },
    status: 1,
    messages: [/error `snippets\/demo\/flood\.py` printed more than 1 MiB: stopped/, /^ {4}x{160}… \(1048416 more characters\)$/m],
    stderrUnder: 1000,
  },
  {
    name: 'a hang is stopped at its timeout with its children; outputs kept',
    files: { 'hang.sh': sh(`sh -c '${RECORD_PID_SH.replace(/'/g, `'"'"'`)}; exec sleep 304' &\n${RECORD_PID_SH}\necho waiting\nsleep 305`) },
    attributes: 'timeout=1',
    status: 1,
    messages: [/error `snippets\/demo\/hang\.sh` did not finish within 1 s: stopped \(partial output below\)/, /^ {4}waiting$/m],
  },
  {
    name: 'an unexpected exit status is an error with the output tail; outputs kept',
    files: { 'fails.py': py('print("about to fail")\nsys.exit(4)') },
    cli: true,
    status: 1,
    messages: [/error `snippets\/demo\/fails\.py` ended with exit status 4, expected success/, /^ {4}about to fail$/m],
  },
]

/** The output block of a row's snippet (`demo/<its first file>`). */
function outputBlock(row: Row): string {
  const [first] = Object.keys(row.files)
  return `\`\`\`{.output run="demo/${first}"${row.attributes ? ` ${row.attributes}` : ''}}\n\`\`\`\n`
}

/** A project whose deck has a slide per row (the rows share their front matter). */
function rowsProject(rows: Row[]): Project {
  const frontMatter = rows[0]!.frontMatter ? `---\n${rows[0]!.frontMatter}\n---\n\n` : ''
  const slides = rows.map((row, index) => `## Slide ${index + 1}\n\n${outputBlock(row)}`)
  return project(Object.assign({}, ...rows.map((row) => row.files)), `${frontMatter}${slides.join('\n')}`)
}

const rowProject = (row: Row): Project => rowsProject([row])

describe('hostile snippets, parsed in process', () => {
  it.each(rows.filter((row) => !row.shows && !row.cli))('$name', async (row) => {
    const p = rowProject(row)
    const before = snapshot(p)
    const result = await prepareMessages(path.join(p.dir, 'talk.md'))
    for (const message of row.messages) expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
    if (row.stderrUnder) expect(result.stderr.length).toBeLessThan(row.stderrUnder)
    expect(result.failed, result.stderr).toBe(row.status === 1)
    expect(await survivorsLeft(p.pids)).toEqual([])
    if (row.status !== 0) expect(snapshot(p)).toEqual(before)
  })
})

describe('hostile snippets, built through the command line', () => {
  const cliRows = rows.filter((row) => row.shows || row.cli)
  /**
   * Rows that build cleanly share a deck with a slide each, as a talk with many snippets does: one
   * build, one browser (rows with other front matter have a deck of their own). A row that expects
   * a message or a failure has a build of its own, so that what is printed or kept is its own.
   */
  const groupOf = (row: Row) => (row.status === 0 && row.messages.length === 0 ? `clean ${row.frontMatter ?? ''}` : row.name)
  const builds = new Map<string, Promise<{ p: Project; before: ReturnType<typeof snapshot>; mark: string; result: CliResult }>>()
  function build(row: Row) {
    const group = groupOf(row)
    let started = builds.get(group)
    if (!started) {
      const p = rowsProject(cliRows.filter((other) => groupOf(other) === group))
      const before = snapshot(p)
      const mark = newMark()
      started = runCliAsync(['build', 'talk.md', '--html', '--out', p.out], { cwd: p.dir, env: { [MARK_VARIABLE]: mark, HOSTILE_SECRET: 'hunter2' } }).then((result) => ({ p, before, mark, result }))
      builds.set(group, started)
    }
    return started
  }

  // Each build a process of its own: they run at the same time (their snippets mostly wait).
  it.concurrent.for(cliRows)('$name', async (row, { expect }) => {
    const [first] = Object.keys(row.files)
    const { p, before, mark, result } = await build(row)
    for (const message of row.messages) expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
    if (row.stderrUnder) expect(result.stderr.length).toBeLessThan(row.stderrUnder)
    expect(result.status, result.stderr).toBe(row.status)
    expect(await markedProcessesLeft(mark)).toEqual([])
    expect(await survivorsLeft(p.pids)).toEqual([])
    if (row.status !== 0) {
      expect(snapshot(p)).toEqual(before)
      return
    }
    const stored = readFileSync(path.join(p.dir, 'snippets', 'demo', '.outputs', `${first}${row.attributes === 'color=true' || row.frontMatter?.includes('snippet-color: true') ? '.color' : ''}.out`), 'utf8')
    const html = readFileSync(path.join(p.out, 'talk.html'), 'utf8')
    if (row.messages.length === 0) expect(result.stderr).not.toMatch(/ (warning|error) /)
    row.shows?.(html, stored)
  })

  it('a demo server left holding its port is stopped: the next build gets the port', async () => {
    const port = await freePort()
    const server = py(`import socket, subprocess\nsubprocess.Popen([sys.executable, "-c", "import socket, time, os, sys\\ns = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', ${port})); s.listen(); time.sleep(306)"], start_new_session=True)\ntime.sleep(0.5)\nprint("serving")`)
    const p = project({ 'server.py': server }, '## Slide\n\n```{.output run="demo/server.py"}\n```\n')
    const mark = newMark()
    const first = await runCliAsync(['build', 'talk.md', '--html', '--out', p.out], { cwd: p.dir, env: { [MARK_VARIABLE]: mark } })
    expect(first.status, first.stderr).toBe(0)
    expect(first.stderr).toMatch(/warning `snippets\/demo\/server\.py` left a process running after it ended, now stopped: `python3[\d.]* -c import socket/)
    const second = await runCliAsync(['build', 'talk.md', '--html', '--rerun', '--out', p.out], { cwd: p.dir, env: { [MARK_VARIABLE]: mark } })
    expect(second.status, second.stderr).toBe(0)
    expect(second.stderr).not.toContain('Address already in use')
    expect(markedProcesses(mark)).toEqual([])
    // The port is free again.
    await expect(freePort(port)).resolves.toBe(port)
  })
})

function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

describe('Ctrl-C', () => {
  /** Starts a build, waits until `ready()` holds, sends the signal, returns the exit status and stderr. */
  async function interrupt(p: Project, args: string[], ready: (cli: number) => boolean, signal: NodeJS.Signals, mark: string) {
    const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'launch.mjs'), 'deck', 'build', 'talk.md', '--out', p.out, ...args], {
      cwd: p.dir,
      env: { ...process.env, CI: '', [MARK_VARIABLE]: mark },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    let done = false
    void ended.then(() => (done = true))
    while (!ready(child.pid!) && !done) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(done, `the build ended before it could be interrupted: ${stderr}`).toBe(false)
    child.kill(signal)
    return { status: await ended, stderr }
  }

  it('while a snippet runs: the snippet and its children are stopped, nothing written, exit 130', async () => {
    const started = py(`import subprocess\nsubprocess.Popen(["setsid", "sh", "-c", r'''${RECORD_PID_SH.replace('$PIDS', '$0')}; exec sleep 307''', PIDS])\n${RECORD_PID_PY}\ntime.sleep(0.3)\nopen("started", "w").write("yes")\ntime.sleep(300)`)
    const p = project({ 'slow.py': started }, '## Slide\n\n```{.output run="demo/slow.py" timeout=600}\n```\n')
    const before = snapshot(p)
    const mark = newMark()
    const result = await interrupt(p, ['--html'], () => existsSync(path.join(p.dir, 'snippets', 'demo', 'started')), 'SIGINT', mark)
    expect(result.status).toBe(130)
    expect(result.stderr.trim()).toBe('Interrupted (SIGINT): stopped 1 running snippet; the build wrote nothing')
    expect(readFileSync(p.pids, 'utf8').trim().split('\n')).toHaveLength(2)
    expect(await survivorsLeft(p.pids)).toEqual([])
    expect(await markedProcessesLeft(mark)).toEqual([])
    expect(snapshot(p)).toEqual(before)
  })

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('while rendering (%s): browser stopped, no scratch left, dist intact, exit %i', async (signal, status) => {
    const p = project({}, '## One\n\nText.\n\n## Two\n\nMore text.\n')
    const before = snapshot(p)
    const mark = newMark()
    // Rendering: the scratch folder is there and a browser runs (a process of the build's besides itself).
    const rendering = (cli: number) => readdirSync(p.out).some((name) => name.startsWith('.build-')) && markedProcesses(mark).some((pid) => pid !== cli)
    const result = await interrupt(p, [], rendering, signal, mark)
    expect(result.status).toBe(status)
    expect(result.stderr).toContain(`Interrupted (${signal})`)
    expect(readdirSync(p.out)).toEqual(['talk.html'])
    expect(await markedProcessesLeft(mark)).toEqual([])
    expect(snapshot(p)).toEqual(before)
  })
})

describe('what a terminal shows', () => {
  it.each([
    ['downloading\r\x1b[2Kdone\n', 'done\n'],
    ['downloading...\r\x1b[2Kdownloaded\n', 'downloaded\n'],
    ['abc\bX\n', 'abX\n'],
    ['progress 10%\rprogress 100%\n', 'progress 100%\n'],
    ['one\ntwo\x1b[1A\rONE\n\n', 'ONE\ntwo\n'],
    ['\x1b[31mred\x1b[0m \x1b]0;title\x07plain\x07\n', 'red plain\n'],
    ['tab\tstays\n', 'tab\tstays\n'],
    ['no newline at the end', 'no newline at the end'],
    ['a\n\n\nb\n', 'a\n\n\nb\n'],
    // A line longer than the terminal wraps: `\r` goes back to the start of its last row.
    [`${'w'.repeat(100)}\rW\n`, `${'w'.repeat(80)}W${'w'.repeat(19)}\n`],
  ])('%j shows %j', async (raw, shown) => {
    expect(await renderTerminal(raw)).toBe(shown)
  })

  it('keeps colours as SGR runs with color, and as HTML colours on the slide', async () => {
    const kept = await renderTerminal('\x1b[31mred\x1b[0m and \x1b[1;38;2;1;2;3mrgb\x1b[0m\r\n', { color: true })
    expect(kept).toBe('\x1b[0;38;5;1mred\x1b[0m and \x1b[0;1;38;2;1;2;3mrgb\x1b[0m\n')
    expect(ansiToHtml(kept)).toBe('<span style="color:#cd0000">red</span> and <span style="font-weight:bold;color:rgb(1,2,3)">rgb</span>\n')
    expect(ansiToHtml('\x1b[0;38;5;1m<b>\x1b[0m')).toBe('<span style="color:#cd0000">&lt;b&gt;</span>')
  })
})

describe('normalisation at path boundaries', () => {
  const context = { snippetsDir: '/work/talk/snippets', projectDir: '/work/talk', replacements: [{ from: '/opt/py/lib/python3.11', to: '<stdlib>' }] }
  it.each([
    [`https://example.com${os.tmpdir()}/report.txt`, `https://example.com${os.tmpdir()}/report.txt`],
    [`${os.tmpdir()}/report.txt`, '<tmp>/report.txt'],
    [`${os.homedir()}fs`, `${os.homedir()}fs`],
    [`${os.homedir()}/x and ${os.homedir()}.`, '~/x and ~.'],
    ['/work/talk/snippets/a.py:3', 'snippets/a.py:3'],
    ['/work/talkative/notes', '/work/talkative/notes'],
    ['/work/talk.md', '/work/talk.md'],
    ['PATH=/opt/py/lib/python3.11:/work/talk/bin', 'PATH=<stdlib>:./bin'],
    ['/opt/py/lib/python3.11.bak/x', '/opt/py/lib/python3.11.bak/x'],
  ])('%j becomes %j', async (raw, expected) => {
    expect(await normalizeOutput(raw, context)).toBe(expected)
  })
})

describe('terminal messages are bounded', () => {
  it('a tail of lines, each cut, without copying a huge line whole', () => {
    const tail = outputTail(`${'x'.repeat(5_000_000)}\n${Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n')}\n`)
    expect(tail.split('\n')).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i + 8}`))
    const huge = outputTail('y'.repeat(5_000_000))
    expect(huge).toBe(`${'y'.repeat(160)}… (${5_000_000 - 160} more characters)`)
  })
})

describe('runners', () => {
  it('an output stored under one Node.js release is fresh under another of the same major, stale under another major', async () => {
    const dir = mkdtempSync(path.join(work, 'node-'))
    const snippetsDir = path.join(dir, 'snippets')
    mkdirSync(path.join(snippetsDir, 'demo'), { recursive: true })
    writeFileSync(path.join(snippetsDir, 'demo', 'hello.mjs'), 'console.log("hello")\n')
    const request = { kind: 'run' as const, snippet: 'demo/hello.mjs', timeoutMs: 10_000, select: [] }
    const context = { snippetsDir, projectDir: dir }
    const [first] = (await obtainOutputs([request], { ...context, mode: 'reuse' })).values()
    expect(first?.stored.output).toBe('hello\n')
    writeStored(first!.storeFile, first!.stored)
    const real = Object.getOwnPropertyDescriptor(process, 'version')!
    const major = Number(/^v(\d+)/.exec(process.version)?.[1])
    const frozenUnder = async (version: string) => {
      Object.defineProperty(process, 'version', { ...real, value: version })
      try {
        return [...(await obtainOutputs([request], { ...context, mode: 'frozen' })).values()][0]!
      } finally {
        Object.defineProperty(process, 'version', real)
      }
    }
    const sameMajor = await frozenUnder(`v${major}.0.1`)
    expect(sameMajor.failure).toBeUndefined()
    expect(sameMajor.ran).toBe(false)
    const otherMajor = await frozenUnder(`v${major + 2}.1.0`)
    expect(otherMajor.failure).toBe(
      `The stored output of \`snippets/demo/hello.mjs\` is stale (the interpreter changed from Node.js v${major} to Node.js v${major + 2}): run \`npm run update\` and commit the result`,
    )
  })
})
