/**
 * Bad decks and bad command lines, one row each. Rows marked `cli` go through the command line:
 * the message, the exit status, no process of the row's own left (its CLI carries a marker of the
 * test's own), and dist/ and the stored outputs byte-identical after a failure. The other rows
 * only check a message and its position: they are read and parsed in this process, as the build
 * does first (helpers/prepare.ts), with no child process and no browser.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MARK_VARIABLE, markedProcesses, newMark, runCliAsync } from './helpers/processes.ts'
import { snapshot } from './helpers/snapshot.ts'
import { projectRoot, runCli } from './helpers/cli.ts'
import { prepareMessages } from './helpers/prepare.ts'

let work: string
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-bad-deck-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const PREVIOUS = { 'talk.html': '<p>previous html</p>', 'talk.pdf': '%PDF previous' }
const SNIPPETS: Record<string, string> = {
  'hello.py': '# region greet\nprint("hello")\n# endregion\n',
  'other.py': 'import helper\nprint(helper.NAME)\n',
  'helper.py': 'NAME = "helper"\n',
}

interface Row {
  name: string
  deck: string | Buffer
  args?: string[]
  env?: NodeJS.ProcessEnv
  /** Files to write or change under snippets/demo/ after a first build (relative names). */
  change?: Record<string, string>
  /** Files under snippets/demo/ to cut short by N bytes at their end (after the first build). */
  cut?: Record<string, number>
  /** Stored outputs under snippets/demo/ whose output (after the `---` line) gets `[from, to]` replaced. */
  edit?: Record<string, [string, string]>
  /** Run a first build (to store outputs) before `change` and the build under test. */
  prime?: boolean
  status: 0 | 1 | 2
  /** Through the command line (else parsed in this process). */
  cli?: boolean
  messages: RegExp[]
  stdout?: RegExp[]
}

const block = (attributes: string) => `\`\`\`{${attributes}}\n\`\`\`\n`

const rows: Row[] = [
  {
    name: 'an empty (0-byte) deck is an error; dist untouched',
    deck: '',
    cli: true,
    status: 1,
    messages: [/^talk\.md error The deck has no slides: add a `## Title` .*nothing was written \(empty-deck\)$/m],
  },
  {
    name: 'a blank deck is an error; dist untouched',
    deck: '\n\n   \n\n',
    status: 1,
    messages: [/talk\.md error The deck has no slides/],
  },
  {
    name: 'a Latin-1 deck is an error at the first bad byte',
    deck: Buffer.concat([Buffer.from('## Menu\n\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]),
    status: 1,
    messages: [/^talk\.md:3:4 error The deck is not UTF-8: byte 0xe9 at offset 12 \(save it as UTF-8; Latin-1 `Café` perhaps\) \(deck-encoding\)$/m],
  },
  {
    name: 'a bad colortheme is an error listing the allowed values',
    deck: '---\ncolortheme: purple\n---\n\n## Slide\n\nText.\n',
    status: 1,
    messages: [/^talk\.md:2:13 error Expected `colortheme` to be one of crane, beaver, default, not `purple` \(front-matter-value\)$/m],
  },
  {
    name: 'a bad boolean is an error listing the allowed values',
    deck: '---\ntoc: maybe\n---\n\n## Slide\n',
    status: 1,
    messages: [/^talk\.md:2:6 error Expected `toc` to be `true` or `false`, not `maybe`/m],
  },
  {
    name: 'an unsupported theme is a warning',
    deck: '---\ntheme: Madrid\n---\n\n## Madrid\n\nDrawn as Frankfurt.\n',
    cli: true,
    status: 0,
    messages: [/^talk\.md:2:8 warning Theme `Madrid` is not supported: the deck is drawn with Frankfurt \(front-matter-theme\)$/m],
  },
  {
    name: 'a backtick fence "closed" with tildes is a warning naming the headings it swallows',
    deck: '## One\n\n```python\nprint(1)\n~~~\n\n## Two\n\n## Three\n',
    status: 0,
    messages: [/^talk\.md:3:1 warning The code fence opened here with 3 backticks is never closed \(a closing fence uses the same character, at least as many\): it runs to the end of the deck and swallows `## Two` \(line 7\), `## Three` \(line 9\) \(unclosed-fence\)$/m],
  },
  {
    name: 'typos in snippet attributes and .numberLines on output are warnings with a did-you-mean, at the attribute',
    deck: `## Slide\n\n${block('.python .numberLines file="demo/hello.py" regoin="greet"')}\n${block('.output .numberLines run="demo/hello.py" max_lines=1')}`,
    status: 0,
    messages: [
      /^talk\.md:3:47 warning Unknown attribute `regoin` on a snippet block, ignored \(known: file, region, lines, highlight, startFrom, start-from\): did you mean `region`\? \(snippet-attribute\)$/m,
      /^talk\.md:6:13 warning `\.numberLines` is not supported, ignored: output has no line numbers \(snippet-attribute\)$/m,
      /^talk\.md:6:46 warning Unknown attribute `max_lines` .*: did you mean `max-lines`\? \(snippet-attribute\)$/m,
    ],
  },
  {
    name: 'run= on a block whose .output is misspelt is an error at the class, with a did-you-mean',
    deck: `## Slide\n\n${block('.ouput run="demo/hello.py"')}`,
    status: 1,
    messages: [/^talk\.md:3:5 error `run=` works on an `\.output` block \(what the snippet prints\) or a `\.lint` block \(its classes: `\.ouput`\): did you mean `\.output`\? \(snippet-run\)$/m],
  },
  {
    name: 'run= on a block with no class is an error at run=',
    deck: `## Slide\n\n${block('run="demo/hello.py"')}`,
    status: 1,
    messages: [/^talk\.md:3:5 error `run=` works on an `\.output` block \(what the snippet prints\) or a `\.lint` block \(snippet-run\)$/m],
  },
  {
    name: 'an .output block with file= instead of run= is an error at file=',
    deck: `## Slide\n\n${block('.output file="demo/hello.py"')}`,
    status: 1,
    messages: [/^talk\.md:3:13 error A `\.output` block shows what running a snippet gives: `run="demo\/hello\.py"`, not `file=` \(which shows the code\) \(snippet-run\)$/m],
  },
  {
    name: 'an attribute typo in a block inside a quote is pointed at in its line',
    deck: '## Slide\n\n> ```{.output run="demo/hello.py" colour=true}\n> ```\n',
    status: 0,
    messages: [/^talk\.md:3:35 warning Unknown attribute `colour` .*: did you mean `color`\? \(snippet-attribute\)$/m],
  },
  {
    name: 'a replace that changes nothing is a warning at its attribute',
    deck: `## Slide\n\n${block('.output run="demo/hello.py" replace="zzz=>y"')}`,
    status: 0,
    messages: [/^talk\.md:3:33 warning The pattern in `replace` \(`zzz`\) changed nothing in the output.* \(snippet-shape\)$/m],
  },
  {
    name: 'a missing stored output under CI=true is an error saying so',
    deck: `## Slide\n\n${block('.output run="demo/hello.py"')}`,
    env: { CI: 'true' },
    status: 1,
    messages: [/^talk\.md:3:1 error The stored output of `snippets\/demo\/hello\.py` is missing: run `npm run update`/m],
  },
  {
    name: 'a truncated stored output under CI=true is called corrupt, with its file',
    deck: `## Slide\n\n${block('.output run="demo/hello.py"')}`,
    prime: true,
    change: { '.outputs/hello.py.out': 'snippet: demo/hello.py\nproducer: CPython 3.11.7\nexi' },
    env: { CI: 'true' },
    status: 1,
    messages: [/^talk\.md:3:1 error The stored output `snippets\/demo\/\.outputs\/hello\.py\.out` is corrupt \(no `---` line after its header\): run `npm run update`/m],
  },
  {
    name: 'a stored output cut short (its header whole) is called corrupt too',
    deck: `## Slide\n\n${block('.output run="demo/hello.py"')}`,
    prime: true,
    cut: { '.outputs/hello.py.out': 3 },
    env: { CI: 'true' },
    status: 1,
    messages: [/^talk\.md:3:1 error The stored output `snippets\/demo\/\.outputs\/hello\.py\.out` is corrupt \(its header says 6 bytes of output, the file has 3\)/m],
  },
  {
    name: 'a stored output edited by hand (its length kept) under CI=true is called corrupt',
    deck: `## Slide\n\n${block('.output run="demo/hello.py"')}`,
    prime: true,
    edit: { '.outputs/hello.py.out': ['hello', 'HELLO'] },
    env: { CI: 'true' },
    status: 1,
    messages: [/^talk\.md:3:1 error The stored output `snippets\/demo\/\.outputs\/hello\.py\.out` is corrupt \(its output is not the one its header records: edited by hand\?\): run `npm run update`/m],
  },
  {
    name: 'a stored output edited by hand is run again when not frozen, and says so',
    deck: `## Slide\n\n${block('.output run="demo/hello.py"')}`,
    prime: true,
    edit: { '.outputs/hello.py.out': ['hello', 'HELLO'] },
    status: 0,
    messages: [/^talk\.md:3:1 warning The stored output `snippets\/demo\/\.outputs\/hello\.py\.out` is corrupt \(its output is not the one its header records: edited by hand\?\): replaced by a new run \(snippet-corrupt\)$/m],
  },
  {
    name: 'stale outputs under CI=true: every one is listed with what changed',
    deck: `## Slide\n\n${block('.output run="demo/hello.py"')}\n${block('.output run="demo/other.py"')}`,
    prime: true,
    change: { 'hello.py': 'print("hello again")\n', 'helper.py': 'NAME = "changed"\n' },
    env: { CI: 'true' },
    cli: true,
    status: 1,
    messages: [
      /^talk\.md:3:1 error The stored output of `snippets\/demo\/hello\.py` is stale \(the code of `snippets\/demo\/hello\.py` changed\): run `npm run update`/m,
      /^talk\.md:6:1 error The stored output of `snippets\/demo\/other\.py` is stale \(`snippets\/demo\/helper\.py`, which it imports, changed\)/m,
    ],
  },
  {
    name: 'an unknown flag is a usage error',
    deck: '## Slide\n',
    args: ['--bogus'],
    cli: true,
    status: 2,
    messages: [/^deck: Unknown option `--bogus`; see `npm run build -- --help`\n$/],
  },
  {
    name: '--out without a value is a usage error',
    deck: '## Slide\n',
    args: ['--out'],
    cli: true,
    status: 2,
    messages: [/^deck: Option `--out` needs a value \(`--out DIR`\); see `npm run build -- --help`\n$/],
  },
]

interface Project {
  dir: string
  out: string
}

function project(deck: string | Buffer): Project {
  const dir = mkdtempSync(path.join(work, 'case-'))
  const out = path.join(dir, 'dist')
  mkdirSync(out)
  for (const [name, content] of Object.entries(PREVIOUS)) writeFileSync(path.join(out, name), content)
  mkdirSync(path.join(dir, 'snippets', 'demo'), { recursive: true })
  for (const [name, content] of Object.entries(SNIPPETS)) writeFileSync(path.join(dir, 'snippets', 'demo', name), content)
  writeFileSync(path.join(dir, 'talk.md'), deck)
  return { dir, out }
}


/** A row's snippet files after its first build: changed, cut short or edited. */
function alter(p: Project, row: Row): void {
  for (const [name, content] of Object.entries(row.change ?? {})) writeFileSync(path.join(p.dir, 'snippets', 'demo', name), content)
  for (const [name, bytes] of Object.entries(row.cut ?? {})) {
    const file = path.join(p.dir, 'snippets', 'demo', name)
    const text = readFileSync(file)
    writeFileSync(file, text.subarray(0, text.length - bytes))
  }
  for (const [name, [from, to]] of Object.entries(row.edit ?? {})) {
    const file = path.join(p.dir, 'snippets', 'demo', name)
    const [header, output] = readFileSync(file, 'utf8').split('\n---\n')
    expect(output, `${name}: its output holds \`${from}\``).toContain(from)
    writeFileSync(file, `${header}\n---\n${output!.replace(from, to)}`)
  }
}

describe('bad decks, parsed in process', () => {
  it.each(rows.filter((row) => !row.cli))('$name', async (row) => {
    const p = project(row.deck)
    const deck = path.join(p.dir, 'talk.md')
    if (row.prime) expect((await prepareMessages(deck, 'reuse', { commit: true })).failed).toBe(false)
    alter(p, row)
    const before = snapshot(p)
    const result = await prepareMessages(deck, row.env?.CI ? 'frozen' : 'reuse')
    for (const message of row.messages) expect(result.stderr).toMatch(message)
    expect(result.stderr, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
    expect(result.failed, result.stderr).toBe(row.status === 1)
    expect(snapshot(p)).toEqual(before)
    if (row.status === 0) expect(result.stderr).not.toMatch(/ error /)
  })
})

describe('bad decks, through the command line', () => {
  // Each row a project and a process of its own: they run at the same time.
  it.concurrent.for(rows.filter((row) => row.cli))('$name', async (row, { expect }) => {
    const p = project(row.deck)
    const mark = newMark()
    const env = { [MARK_VARIABLE]: mark, ...row.env }
    if (row.prime) {
      const first = await runCliAsync(['build', 'talk.md', '--html', '--out', p.out], { cwd: p.dir, env: { [MARK_VARIABLE]: mark } })
      expect(first.status, first.stderr).toBe(0)
    }
    alter(p, row)
    const before = snapshot(p)
    const result = await runCliAsync(['build', 'talk.md', '--html', '--out', p.out, ...(row.args ?? [])], { cwd: p.dir, env })
    for (const message of row.messages) expect(result.stderr).toMatch(message)
    for (const message of row.stdout ?? []) expect(result.stdout).toMatch(message)
    expect(result.stderr, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
    expect(result.status, result.stderr).toBe(row.status)
    expect(markedProcesses(mark)).toEqual([])
    if (row.status !== 0) expect(snapshot(p)).toEqual(before)
    else expect(result.stderr).not.toMatch(/ error /)
  })
})

describe('the command line', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: work, env })

  it('--version prints the toolchain version', async () => {
    const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version
    const result = await cli(['--version'])
    expect(result.status).toBe(0)
    expect(result.stdout).toBe(`asyncio-pitfalls-deck ${version} (Node.js ${process.version})\n`)
  })

  it.each(['build', 'verify', 'update'])('%s --help lists its options and the environment variables', async (command) => {
    const result = await cli([command, '--help'])
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^Usage: npm run ${command} `))
    for (const name of ['--quiet', '-h, --help', 'CI=true', 'CHROME_PATH', 'DECK_PYTHON']) expect(result.stdout).toContain(name)
    if (command === 'build') for (const name of ['--out DIR', '--frozen', '--force', '--allow-overflow']) expect(result.stdout).toContain(name)
    if (command === 'verify') expect(result.stdout).toContain('--repeat N')
  })

  it('bench --help is help, a bad bench flag a usage error', async () => {
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'launch.mjs'), 'bench', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        child.on('close', (status) => resolve({ status, stdout, stderr }))
      })
    const help = await run(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('--runs N')
    const bad = await run(['--bogus'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toBe('bench: Unknown option `--bogus`; see `npm run bench -- --help`\n')
  })

  it('no command prints the usage with exit 2; a bad --repeat is a usage error', async () => {
    const none = await cli([])
    expect(none.status).toBe(2)
    expect(none.stdout).toContain('Commands:')
    // A child process: the command line's own exit status for a usage mistake.
    const repeat = await runCliAsync(['verify', '--repeat', 'x'], { cwd: work })
    expect(repeat.status).toBe(2)
    expect(repeat.stderr).toBe('deck: Expected --repeat to be a whole number from 1, not `x`; see `npm run verify -- --help`\n')
  })

  it('up to date: the hint says `npm run build -- --force`; a --force that npm took still rebuilds', async () => {
    const p = project('## Up to date\n\nBuilt once, then skipped.\n')
    const build = (env: NodeJS.ProcessEnv = {}) => runCli(['build', 'talk.md', '--html', '--out', p.out], { cwd: p.dir, env })
    expect((await build()).status).toBe(0)
    const again = await build()
    expect(again.status).toBe(0)
    expect(again.stderr).toBe('talk.md: up to date (nothing changed since the last build; `npm run build -- --force` rebuilds)\n')
    // `npm run build talk.md --force`: npm keeps the flag and says so in the environment.
    const forced = await build({ npm_lifecycle_event: 'build', npm_config_force: 'true' })
    expect(forced.status).toBe(0)
    expect(forced.stderr).toMatch(/talk\.md: 1 slides -> /)
  })
})
