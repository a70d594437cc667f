/**
 * Freshness keyed on everything a run reads: a snippet that reads a data file beside it is stale
 * once that file changes (the build re-runs it, CI's build refuses it naming the file), whether it
 * is Python (audit hook), Node.js or TypeScript (fs hook) or a shell script (its whole folder).
 * What a snippet writes is not its input, nor is a file outside the project, editor junk or what
 * git ignores. A compiled program stands on its sources, what its compiler read and its folder's
 * data files, never another program of its folder; a C program of two files, as the README builds it. Mostly in process
 * (obtainOutputs), then once through the command line as a user works.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { runCli } from './helpers/cli.ts'
import { loadDeckConfig } from '../scripts/build/deck-config.ts'
import { obtainOutputs, type OutputMode, type OutputOutcome, type OutputRequest } from '../scripts/snippets/outputs.ts'
import { DEFAULT_RUNNERS, type RunnerSet } from '../scripts/snippets/runners.ts'
import { readStored, writeStored } from '../scripts/snippets/store.ts'
import { readPending } from '../scripts/snippets/pending.ts'
import { commitSnippetOutputs } from '../scripts/snippets/commit.ts'
import type { SnippetReport } from '../scripts/snippets/remark-snippets.ts'
import { isMissing, resolveToolchain } from '../scripts/snippets/toolchain.ts'

let work: string
let outside: string
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-reads-test-'))
  // A file outside every project of the test: reading it is not recorded.
  outside = path.join(work, 'outside.txt')
  writeFileSync(outside, 'from outside\n')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A project of its own: snippets/demo/<files> (subfolders made as needed), with the deck's runners. */
function project(files: Record<string, string>, options: { runners?: RunnerSet; git?: boolean } = {}) {
  const dir = mkdtempSync(path.join(work, 'project-'))
  const snippetsDir = path.join(dir, 'snippets')
  mkdirSync(path.join(snippetsDir, 'demo'), { recursive: true })
  if (options.git) execFileSync('git', ['init', '-q', dir])
  const file = (name: string) => path.join(snippetsDir, 'demo', name)
  const write = (name: string, text: string) => {
    mkdirSync(path.dirname(file(name)), { recursive: true })
    writeFileSync(file(name), text)
  }
  for (const [name, text] of Object.entries(files)) write(name, text)
  const runners = options.runners ?? DEFAULT_RUNNERS
  /** One build's outputs of several snippets (they run at the same time). */
  const obtainAll = async (snippets: string[], mode: OutputMode, extra: Partial<OutputRequest> = {}): Promise<OutputOutcome[]> => {
    const requests = snippets.map((snippet) => ({ kind: 'run' as const, snippet: `demo/${snippet}`, timeoutMs: 10_000, select: [], ...extra }))
    return [...(await obtainOutputs(requests, { snippetsDir, projectDir: dir, mode, runners })).values()]
  }
  const obtain = async (snippet: string, mode: OutputMode, extra: Partial<OutputRequest> = {}): Promise<OutputOutcome> => (await obtainAll([snippet], mode, extra))[0]!
  /** Obtains and commits the output, as a successful build does. */
  const build = async (snippet: string, extra: Partial<OutputRequest> = {}) => {
    const outcome = await obtain(snippet, 'reuse', extra)
    expect(outcome.failure).toBeUndefined()
    if (outcome.ran) writeStored(outcome.storeFile, outcome.stored)
    return outcome
  }
  return { dir, file, write, obtain, obtainAll, build }
}

const readNames = (outcome: OutputOutcome) => outcome.stored.reads?.map((stamp) => stamp.replace(/@.*/, '')) ?? []

const stale = (snippet: string, input: string) =>
  new RegExp(`^The stored output of \`snippets/demo/${snippet.replace('.', '\\.')}\` is stale \\(.*\`snippets/demo/${input.replace('.', '\\.')}\`, which it reads, changed.*\\): run \`npm run update\``)

describe.each([
  ['Python', 'show.py', 'data.txt', (data: string) => `from pathlib import Path\n\nprint(Path(${JSON.stringify(data)}).read_text().strip())\n`],
  ['Node.js', 'show.mjs', 'conf.json', (data: string) => `import { readFileSync } from 'node:fs'\n\nconsole.log(JSON.parse(readFileSync(${JSON.stringify(data)}, 'utf8')).value)\n`],
  ['TypeScript', 'show.ts', 'conf.json', (data: string) => `import fs from 'node:fs'\n\nconst conf: { value: string } = JSON.parse(fs.readFileSync(${JSON.stringify(data)}, 'utf8'))\nconsole.log(conf.value)\n`],
  ['shell', 'show.sh', 'data.txt', (data: string) => `tr -d '{}"' < ${data}\n`],
])('a %s snippet that reads a file beside it', (_language, snippet, data, code) => {
  const content = (value: string) => (data.endsWith('.json') ? `{"value": "${value}"}\n` : `${value}\n`)
  let p: ReturnType<typeof project>

  beforeAll(() => {
    p = project({ [snippet]: code(data), [data]: content('first') })
  })

  it('stores the file among its inputs, with a short hash', async () => {
    const outcome = await p.build(snippet)
    expect(outcome.ran).toBe(true)
    expect(outcome.stored.output).toMatch(/first/)
    expect(outcome.stored.reads).toEqual([expect.stringMatching(new RegExp(`^snippets/demo/${data.replace('.', '\\.')}@[0-9a-f]{8}$`))])
    expect(readFileSync(outcome.storeFile, 'utf8')).toMatch(new RegExp(`^reads: snippets/demo/${data.replace('.', '\\.')}@[0-9a-f]{8}$`, 'm'))
    expect(outcome.sources).toContain(p.file(data))
    expect((await p.obtain(snippet, 'frozen')).failure).toBeUndefined()
  })

  it('is stale once the file changes: frozen, the failure names the file; a build re-runs it', async () => {
    writeFileSync(p.file(data), content('second'))
    const frozen = await p.obtain(snippet, 'frozen')
    expect(frozen.failure).toMatch(stale(snippet, data))
    expect(frozen.failureRule).toBe('snippet-stale')
    const rebuilt = await p.build(snippet)
    expect(rebuilt.ran).toBe(true)
    expect(rebuilt.stored.output).toMatch(/second/)
    expect((await p.obtain(snippet, 'frozen')).failure).toBeUndefined()
  })
})

describe('inputs, and what is not one', () => {
  it('a file the snippet writes (and reads back), a file outside the project: Python and Node.js', async () => {
    const p = project({
      'rw.py': `from pathlib import Path\n\nPath("scratch.txt").write_text("made here\\n")\nprint(Path("scratch.txt").read_text().strip())\nprint(Path(${JSON.stringify(outside)}).read_text().strip())\nprint(Path("data.txt").read_text().strip())\n`,
      'rw.mjs': `import fs from 'node:fs'\n\nfs.writeFileSync('scratch-node.txt', 'made here\\n')\nconsole.log(fs.readFileSync('scratch-node.txt', 'utf8').trim())\nconsole.log(fs.readFileSync(${JSON.stringify(outside)}, 'utf8').trim())\nconsole.log(fs.readFileSync('data.txt', 'utf8').trim())\n`,
      'data.txt': 'data\n',
    })
    for (const snippet of ['rw.py', 'rw.mjs']) {
      const outcome = await p.build(snippet)
      expect(outcome.stored.output, snippet).toBe('made here\nfrom outside\ndata\n')
      expect(outcome.stored.reads?.map((stamp) => stamp.replace(/@.*/, '')), snippet).toEqual(['snippets/demo/data.txt'])
    }
    // A fresh clone has no scratch files; an edit of the outside file is not the deck's.
    rmSync(p.file('scratch.txt'))
    rmSync(p.file('scratch-node.txt'))
    writeFileSync(outside, 'changed outside\n')
    try {
      for (const snippet of ['rw.py', 'rw.mjs']) expect((await p.obtain(snippet, 'frozen')).failure, snippet).toBeUndefined()
    } finally {
      writeFileSync(outside, 'from outside\n')
    }
  })

  it('a file a Python snippet tried to open that is not there: creating it makes the output stale', async () => {
    const p = project({ 'maybe.py': 'try:\n    print(open("extra.txt").read().strip())\nexcept FileNotFoundError:\n    print("no extra")\n' })
    expect((await p.build('maybe.py')).stored.output).toBe('no extra\n')
    writeFileSync(p.file('extra.txt'), 'extra\n')
    expect((await p.obtain('maybe.py', 'frozen')).failure).toMatch(/`snippets\/demo\/extra\.txt`, which it reads, is there now/)
    expect((await p.build('maybe.py')).stored.output).toBe('extra\n')
  })

  it('a Python or Node.js snippet that starts another program stands on its folder too (the program is not traced)', async () => {
    const p = project({
      'cat.py': 'import subprocess\n\nsubprocess.run(["sh", "-c", "cat data.txt; echo made > py-made.txt"], check=True)\n',
      'cat.mjs': "import { execFileSync, spawnSync } from 'node:child_process'\n\nprocess.stdout.write(execFileSync('cat', ['data.txt']))\n",
      'data.txt': 'data 1\n',
    })
    for (const snippet of ['cat.py', 'cat.mjs']) {
      const outcome = await p.build(snippet)
      expect(outcome.stored.output, snippet).toBe('data 1\n')
      expect(outcome.stored.reads?.map((stamp) => stamp.replace(/@.*/, '')), snippet).toContain('snippets/demo/data.txt')
      expect(outcome.stored.reads?.map((stamp) => stamp.replace(/@.*/, '')), snippet).not.toContain('snippets/demo/py-made.txt')
    }
    rmSync(p.file('py-made.txt'))
    for (const snippet of ['cat.py', 'cat.mjs']) expect((await p.obtain(snippet, 'frozen')).failure, snippet).toBeUndefined()
    writeFileSync(p.file('data.txt'), 'data 2\n')
    for (const snippet of ['cat.py', 'cat.mjs']) expect((await p.obtain(snippet, 'frozen')).failure, snippet).toMatch(stale(snippet, 'data.txt'))
  })

  it('an input edited while the run goes on: the stored output is stale, the next build runs it again', async () => {
    const gate = path.join(work, 'gate-read')
    const release = path.join(work, 'gate-release')
    const p = project({
      'slow.py': `import time\nfrom pathlib import Path\n\nprint(Path("data.txt").read_text().strip())\nPath(${JSON.stringify(gate)}).touch()\nwhile not Path(${JSON.stringify(release)}).exists():\n    time.sleep(0.02)\n`,
      'data.txt': 'before\n',
    })
    const running = p.build('slow.py')
    while (!existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 20))
    writeFileSync(p.file('data.txt'), 'during\n')
    writeFileSync(release, '')
    expect((await running).stored.output).toBe('before\n')
    expect((await p.obtain('slow.py', 'frozen')).failure).toMatch(stale('slow.py', 'data.txt'))
    expect((await p.build('slow.py')).stored.output).toBe('during\n')
    expect((await p.obtain('slow.py', 'frozen')).failure).toBeUndefined()
  })

  it('a shell script stands on its whole folder, less what it and its neighbours write', async () => {
    const p = project({
      'show.sh': 'echo made > sh-out.txt\ncat notes.txt\n',
      'writer.py': 'open("py-out.txt", "w").write("made\\n")\nprint("wrote")\n',
      'notes.txt': 'notes 1\n',
    })
    await p.build('writer.py')
    const outcome = await p.build('show.sh')
    expect(outcome.stored.output).toBe('notes 1\n')
    expect(outcome.stored.reads?.map((stamp) => stamp.replace(/@.*/, ''))).toEqual(['snippets/demo/notes.txt', 'snippets/demo/writer.py'])
    expect(outcome.stored.writes).toEqual(['snippets/demo/sh-out.txt'])
    // A fresh clone: what the runs wrote is not there, and the outputs are still fresh.
    rmSync(p.file('sh-out.txt'))
    rmSync(p.file('py-out.txt'))
    expect((await p.obtain('show.sh', 'frozen')).failure).toBeUndefined()
    // Any other file of its folder is an input, a new one too.
    writeFileSync(p.file('more.txt'), 'more\n')
    expect((await p.obtain('show.sh', 'frozen')).failure).toMatch(/`snippets\/demo\/more\.txt`, which it reads, is new/)
  })
})

describe('an output that ran in a build that failed', () => {
  it('is taken by the next build while fresh (not run again, stored when that build succeeds); never when frozen', async () => {
    const runs = path.join(work, `runs-${Date.now()}.txt`)
    const code = (text: string) => `with open(${JSON.stringify(runs)}, "a") as f:\n    f.write("ran\\n")\nprint(${JSON.stringify(text)})\n`
    const p = project({ 'counted.py': code('first') })
    const count = () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length
    // A build that fails after running it: nothing committed (no writeStored).
    const first = await p.obtain('counted.py', 'reuse')
    expect([first.ran, first.pending, count()]).toEqual([true, undefined, 1])
    expect(readPending(first.storeFile)?.output).toBe('first\n')
    // The next build: the same output, not run again.
    const second = await p.obtain('counted.py', 'reuse')
    expect([second.ran, second.pending, second.stored.output, count()]).toEqual([true, true, 'first\n', 1])
    // CI=true takes only what is stored: there is none.
    expect((await p.obtain('counted.py', 'frozen')).failure).toMatch(/is missing/)
    // Changed since: run again.
    p.write('counted.py', code('second'))
    const third = await p.obtain('counted.py', 'reuse')
    expect([third.ran, third.pending, third.stored.output, count()]).toEqual([true, undefined, 'second\n', 2])
    // A build that succeeds stores it, and the kept one goes.
    commitSnippetOutputs({ outcomes: [third] } as unknown as SnippetReport)
    expect(readStored(third.storeFile)?.output).toBe('second\n')
    expect(readPending(third.storeFile)).toBeUndefined()
  })

  it('is not kept when the run was stopped (its partial output is an error every time)', async () => {
    const p = project({ 'hangs.py': 'import time\nprint("partial", flush=True)\ntime.sleep(30)\n' })
    const stopped = await p.obtain('hangs.py', 'reuse', { timeoutMs: 1000 })
    expect(stopped.run?.timedOut).toBe(true)
    expect(readPending(stopped.storeFile)).toBeUndefined()
  })
})

describe('the fs hook and what a Node.js snippet prints', () => {
  it('a CommonJS snippet\'s stack is the one `node x.cjs` prints: its CommonJS loader, no frame of the hook', async () => {
    const p = project({ 'fails.cjs': 'const fs = require("node:fs")\nfunction load() {\n  return fs.readFileSync("missing.json", "utf8")\n}\nload()\n' })
    const outcome = await p.obtain('fails.cjs', 'reuse')
    const plain = spawnSync(process.execPath, [p.file('fails.cjs')], { cwd: path.dirname(p.file('fails.cjs')), encoding: 'utf8' })
    const frames = (text: string) => text.split('\n').filter((line) => /^\s+at /.test(line))
    const expected = frames(plain.stderr.replaceAll(`${p.dir}${path.sep}`, ''))
    expect(expected).toContainEqual(expect.stringContaining('node:internal/modules/cjs/loader'))
    expect(frames(outcome.stored.output)).toEqual(expected)
    // The line Node shows above the error (where it was thrown) is the same too.
    expect(outcome.stored.output.split('\n').slice(0, 3)).toEqual(plain.stderr.split('\n').slice(0, 3))
  })
})

describe('editor junk and ignored files are never a folder\'s input', () => {
  it('a shell script built beside swap files, backups, dot-folders and git-ignored files is fresh once they are gone', async () => {
    const p = project({ 'show.sh': 'cat notes.txt\n', 'notes.txt': 'notes\n' }, { git: true })
    writeFileSync(path.join(p.dir, '.gitignore'), '*.log\nscratch/\n')
    const junk = ['.show.sh.swp', '.notes.txt.swo', 'notes.txt~', '#notes.txt#', '.#notes.txt', '.vscode/settings.json', '__pycache__/x.cpython-311.pyc', 'run.log', 'scratch/tmp.txt', 'sub/.DS_Store']
    for (const name of junk) p.write(name, 'junk\n')
    p.write('sub/kept.txt', 'kept\n')
    const outcome = await p.build('show.sh')
    expect(outcome.stored.output).toBe('notes\n')
    expect(readNames(outcome)).toEqual(['snippets/demo/notes.txt', 'snippets/demo/sub/kept.txt'])
    for (const name of junk) rmSync(p.file(name))
    expect((await p.obtain('show.sh', 'frozen')).failure).toBeUndefined()
    // A file git does not ignore is still an input.
    p.write('other.txt', 'other\n')
    expect((await p.obtain('show.sh', 'frozen')).failure).toMatch(/`snippets\/demo\/other\.txt`, which it reads, is new/)
  })

  it('without git (not a checkout), the ignore rule is skipped, the rest holds', async () => {
    const p = project({ 'show.sh': 'cat notes.txt\n', 'notes.txt': 'notes\n', '.show.sh.swp': 'junk\n', 'run.log': 'log\n' })
    writeFileSync(path.join(p.dir, '.gitignore'), '*.log\n')
    expect(readNames(await p.build('show.sh'))).toEqual(['snippets/demo/notes.txt', 'snippets/demo/run.log'])
  })
})

const noCc = isMissing(resolveToolchain(DEFAULT_RUNNERS.named('c')!))

describe.skipIf(noCc)('a compiled program stands on its sources, what its compiler read and its folder\'s data', () => {
  // The header is included through a macro: no `#include "..."` rule sees it, the compiler does.
  const HELLO = '#include <stdio.h>\n#define STATS "sub/stats.h"\n#include STATS\n\nint main(void) {\n  char line[64] = "";\n  FILE *f = fopen("data.txt", "r");\n  if (f && fgets(line, sizeof line, f)) printf("%d %s", SCALE, line);\n  return 0;\n}\n'
  // Each test edits the folder: a folder of its own.
  let p: ReturnType<typeof project>
  beforeEach(() => {
    p = project({ 'hello.c': HELLO, 'sub/stats.h': '#define SCALE 2\n', 'other.c': 'int main(void) { return 0; }\n', 'hello.rb': 'puts 1\n', 'data.txt': 'data one\n' })
  })

  it('reads: the data file and the header its compiler read, not the other programs of its folder', async () => {
    const outcome = await p.build('hello.c')
    expect(outcome.stored.output).toBe('2 data one\n')
    expect(readNames(outcome)).toEqual(['snippets/demo/data.txt', 'snippets/demo/sub/stats.h'])
    const ruby = DEFAULT_RUNNERS.named('ruby')!
    if (!isMissing(resolveToolchain(ruby))) expect(readNames(await p.build('hello.rb'))).toEqual(['snippets/demo/data.txt'])
  }, 60_000)

  it('another program, a new source file, editor junk: still fresh; the header or a new data file: stale', async () => {
    expect((await p.build('hello.c')).stored.output).toBe('2 data one\n')
    writeFileSync(p.file('other.c'), 'int main(void) { return 1; }\n')
    p.write('new.rs', 'fn main() {}\n')
    p.write('sub/more.h', '#define MORE 1\n')
    p.write('.hello.c.swp', 'junk\n')
    expect((await p.obtain('hello.c', 'frozen')).failure).toBeUndefined()
    writeFileSync(p.file('sub/stats.h'), '#define SCALE 3\n')
    expect((await p.obtain('hello.c', 'frozen')).failure).toMatch(stale('hello.c', 'sub/stats.h'))
    expect((await p.build('hello.c')).stored.output).toBe('3 data one\n')
    p.write('extra.csv', 'a,b\n')
    expect((await p.obtain('hello.c', 'frozen')).failure).toMatch(/`snippets\/demo\/extra\.csv`, which it reads, is new/)
  }, 60_000)

  it('the same source in another folder, with another header, is a program of its own', async () => {
    const other = project({ 'hello.c': HELLO, 'sub/stats.h': '#define SCALE 5\n', 'data.txt': 'data one\n' })
    expect((await p.build('hello.c')).stored.output).toBe('2 data one\n')
    expect((await other.build('hello.c')).stored.output).toBe('5 data one\n')
  }, 60_000)

  it('a build-only output (phase=build) stands on its build alone: no data file among its reads', async () => {
    const outcome = await p.build('hello.c', { phase: 'build' })
    expect(readNames(outcome)).toEqual(['snippets/demo/sub/stats.h'])
    writeFileSync(p.file('data.txt'), 'data two\n')
    p.write('late.json', '{}\n')
    expect((await p.obtain('hello.c', 'frozen', { phase: 'build' })).failure).toBeUndefined()
  }, 60_000)
})

describe.skipIf(noCc)('a C program of two source files (README, Languages: the c-multi recipe)', () => {
  it('an edit of its second source file makes its output stale; the build shows the new output', async () => {
    // The runner as the README gives it.
    const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8')
    const recipe = /```yaml\n(runners:\n  c-multi:\n[\s\S]*?)```/.exec(readme)?.[1]
    expect(recipe).toBeDefined()
    const configDir = mkdtempSync(path.join(work, 'config-'))
    writeFileSync(path.join(configDir, 'deck.config.yaml'), recipe!)
    const runners = loadDeckConfig(configDir, configDir).runners
    const p = project({
      'stats/main.c': '#include <stdio.h>\n#include "mean.h"\n\nint main(void) {\n  int values[] = {1, 2, 3, 4};\n  printf("mean %.2f\\n", mean(values, 4));\n  return 0;\n}\n',
      'stats/mean.h': 'double mean(const int *values, int count);\n',
      'stats/mean.c': '#include "mean.h"\n\ndouble mean(const int *values, int count) {\n  double total = 0;\n  for (int i = 0; i < count; i++) total += values[i];\n  return total / count;\n}\n',
    }, { runners })
    const first = await p.build('stats/main.c', { runner: 'c-multi' })
    expect(first.stored.output).toBe('mean 2.50\n')
    expect(first.stored.sources?.map((stamp) => stamp.replace(/@.*/, ''))).toEqual(['demo/stats/main.c', 'demo/stats/mean.c', 'demo/stats/mean.h'])
    expect((await p.obtain('stats/main.c', 'frozen', { runner: 'c-multi' })).failure).toBeUndefined()
    writeFileSync(p.file('stats/mean.c'), readFileSync(p.file('stats/mean.c'), 'utf8').replace('return total / count;', 'return total / count * 2;'))
    expect((await p.obtain('stats/main.c', 'frozen', { runner: 'c-multi' })).failure).toMatch(/is stale \(`snippets\/demo\/stats\/mean\.c`, which it imports, changed\)/)
    expect((await p.build('stats/main.c', { runner: 'c-multi' })).stored.output).toBe('mean 5.00\n')
  }, 60_000)
})

describe('snippets of one folder running at the same time', () => {
  it('what a neighbour writes while a shell script runs is not the script\'s input', async () => {
    const p = project({
      'show.sh': 'sleep 0.6\ncat notes.txt\n',
      // It writes while the script runs, and ends after it.
      'writer.py': 'import time\n\ntime.sleep(0.3)\nopen("py-out.txt", "w").write("made\\n")\ntime.sleep(0.6)\nprint("wrote")\n',
      'notes.txt': 'notes\n',
    })
    for (let round = 0; round < 2; round++) {
      const outcomes = await p.obtainAll(['show.sh', 'writer.py'], 'rerun')
      for (const outcome of outcomes) writeStored(outcome.storeFile, outcome.stored)
      const show = outcomes.find((outcome) => outcome.request.snippet === 'demo/show.sh')!
      expect(show.stored.reads?.map((stamp) => stamp.replace(/@.*/, ''))).toEqual(['snippets/demo/notes.txt', 'snippets/demo/writer.py'])
    }
    rmSync(p.file('py-out.txt'))
    for (const outcome of await p.obtainAll(['show.sh', 'writer.py'], 'frozen')) expect(outcome.failure, outcome.request.snippet).toBeUndefined()
  })
})

describe('through the command line', () => {
  const DECK = '---\ntitle: Reads\n---\n\n## Python\n\n```{.output run="demo/show.py"}\n```\n\n## Node\n\n```{.output run="demo/show.mjs"}\n```\n'
  let dir: string
  const deck = () => path.join(dir, 'slides', 'talk.md')
  const out = () => path.join(dir, 'dist')
  const build = (ci: boolean, force = true) => runCli(['build', deck(), '--html', '--out', out(), ...(force ? ['--force'] : [])], { cwd: dir, env: { CI: ci ? 'true' : '' } })

  beforeAll(() => {
    dir = mkdtempSync(path.join(work, 'cli-'))
    mkdirSync(path.join(dir, 'slides'))
    mkdirSync(path.join(dir, 'snippets', 'demo'), { recursive: true })
    writeFileSync(deck(), DECK)
    writeFileSync(path.join(dir, 'snippets', 'demo', 'show.py'), 'from pathlib import Path\n\nprint(Path("data.txt").read_text().strip())\n')
    writeFileSync(path.join(dir, 'snippets', 'demo', 'show.mjs'), "import { readFileSync } from 'node:fs'\n\nconsole.log(JSON.parse(readFileSync('conf.json', 'utf8')).value)\n")
    writeFileSync(path.join(dir, 'snippets', 'demo', 'data.txt'), 'python first\n')
    writeFileSync(path.join(dir, 'snippets', 'demo', 'conf.json'), '{"value": "node first"}\n')
  })

  it('an edit of a file a snippet reads: CI=true fails naming it, npm run build re-runs the snippet, verify agrees', async () => {
    const first = await build(false)
    expect(first.status, first.stderr).toBe(0)
    expect(readFileSync(path.join(out(), 'talk.html'), 'utf8')).toContain('python first')
    writeFileSync(path.join(dir, 'snippets', 'demo', 'data.txt'), 'python second\n')
    writeFileSync(path.join(dir, 'snippets', 'demo', 'conf.json'), '{"value": "node second"}\n')
    const frozen = await build(true)
    expect(frozen.status).toBe(1)
    expect(frozen.stderr).toMatch(/talk\.md:7:1 error The stored output of `snippets\/demo\/show\.py` is stale \(`snippets\/demo\/data\.txt`, which it reads, changed\): run `npm run update`/)
    expect(frozen.stderr).toMatch(/talk\.md:12:1 error The stored output of `snippets\/demo\/show\.mjs` is stale \(`snippets\/demo\/conf\.json`, which it reads, changed\): run `npm run update`/)
    // Without --force: the build is not skipped as up to date, since a file the last one read changed.
    const rebuilt = await build(false, false)
    expect(rebuilt.status, rebuilt.stderr).toBe(0)
    expect(rebuilt.stderr).toContain('ran snippets/demo/show.py')
    expect(rebuilt.stderr).toContain('ran snippets/demo/show.mjs')
    const page = readFileSync(path.join(out(), 'talk.html'), 'utf8')
    expect(page).toContain('python second')
    expect(page).toContain('node second')
    expect(readStored(path.join(dir, 'snippets', 'demo', '.outputs', 'show.py.out'))?.output).toBe('python second\n')
    const verify = await runCli(['verify', deck()], { cwd: dir })
    expect(verify.status, verify.stdout + verify.stderr).toBe(0)
  })
})
