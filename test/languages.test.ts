/**
 * Every language: one row per preset whose toolchain is on this machine, run in process from the
 * example deck's snippets (examples/polyglot): a program's output, a failure at run time with its
 * exit status, an expected compile error (`phase=build`, `traceback=short` keeps the first), a
 * region in the runner's comment syntax. Then the example deck built from its stored outputs
 * with none of those toolchains reachable, a runner defined only in deck.config.yaml, and broken
 * configurations as positioned errors.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { VFile } from 'vfile'
import { afterAll, describe, expect, it } from 'vitest'
import { loadDeckConfig, parseConfig } from '../scripts/build/deck-config.ts'
import { prepareDeck } from '../scripts/build/stages.ts'
import { formatMessages } from '../scripts/core/report.ts'
import { DEFAULT_SETTINGS } from '../scripts/reader/settings.ts'
import { obtainOutputs, requestId, type OutputRequest } from '../scripts/snippets/outputs.ts'
import { selectCode } from '../scripts/snippets/resolve.ts'
import { PRESETS } from '../scripts/snippets/runners.ts'
import { shapeOutput } from '../scripts/snippets/shape-output.ts'
import { isMissing, resolveToolchain } from '../scripts/snippets/toolchain.ts'
import { projectRoot, runCli } from './helpers/cli.ts'

const exampleDir = path.join(projectRoot, 'examples', 'polyglot')
const snippetsDir = path.join(exampleDir, 'snippets')
const runners = loadDeckConfig(exampleDir).runners

interface Row {
  runner: string
  program: string
  prints: string
  failure: string
  exit: string
  failurePrints: string
  /** A compile error: its snippet, whether it is the build's (`phase=build`) or the run's (a launcher that compiles), its status, its first error. */
  broken: string
  phase: 'build' | 'run'
  brokenExit: string
  firstError: RegExp
  region: [file: string, name: string, first: string]
  /** Set when the block names its runner (`runner=javac`). */
  named?: boolean
}

const ROWS: Row[] = [
  {
    runner: 'c', program: 'c/hello.c', prints: 'hello from C\n1 squared is 1', failure: 'c/fail.c', exit: '3', failurePrints: 'cannot open numbers.txt',
    broken: 'c/bad.c', phase: 'build', brokenExit: '1', firstError: /^bad\.c:5:33: error: .totl. undeclared/, region: ['c/hello.c', 'greet', 'static void greet(const char *name) {'],
  },
  {
    runner: 'cpp', program: 'cpp/hello.cpp', prints: 'sum of strings: abc', failure: 'cpp/fail.cpp', exit: '2', failurePrints: 'out of range: index 3 of 3',
    broken: 'cpp/bad.cpp', phase: 'build', brokenExit: '1', firstError: /^bad\.cpp:4:24: error: conversion from .int./, region: ['cpp/hello.cpp', 'sum', 'template <typename T>'],
  },
  {
    runner: 'rust', program: 'rust/hello.rs', prints: 'squares: [1, 4, 9, 16, 25]\nsum: 55', failure: 'rust/panic.rs', exit: '101', failurePrints: "thread 'main' (<tid>) panicked at panic.rs:5:27:",
    broken: 'rust/borrow.rs', phase: 'build', brokenExit: '1', firstError: /^error\[E0308\]: mismatched types\n --> borrow\.rs:6:22/, region: ['rust/hello.rs', 'iter', 'fn squares(limit: u32) -> impl Iterator<Item = u32> {'],
  },
  {
    runner: 'go', program: 'go/hello.go', prints: '3 workers finished', failure: 'go/fail.go', exit: '4', failurePrints: 'error: open missing.txt: no such file or directory',
    broken: 'go/bad.go', phase: 'build', brokenExit: '2', firstError: /^\.\/bad\.go:5:2: .*"os"/, region: ['go/hello.go', 'worker', 'func worker(id int, results chan<- string) {'],
  },
  {
    runner: 'java', program: 'java/Hello.java', prints: 'Point[x=1, y=2] is 3 away', failure: 'java/Fail.java', exit: '1', failurePrints: 'java.lang.ClassCastException',
    broken: 'javac-bad/Bad.java', phase: 'build', brokenExit: '1', firstError: /^Bad\.java:3: error: incompatible types/, region: ['java/Hello.java', 'records', 'record Point(int x, int y) {'],
  },
  {
    runner: 'ruby', program: 'ruby/hello.rb', prints: '1. ruby\n2. perl\n3. awk', failure: 'ruby/fail.rb', exit: '1', failurePrints: '12\nfail.rb:2:in `Integer\': invalid value for Integer(): "twelve" (ArgumentError)',
    broken: 'ruby/syntax.rb', phase: 'run', brokenExit: '1', firstError: /syntax error/, region: ['ruby/hello.rb', 'each', '%w[ruby perl awk].each_with_index do |name, index|'],
  },
]

const available = ROWS.filter((row) => !isMissing(resolveToolchain(runners.named(row.runner)!)))
const request = (snippet: string, extra: Partial<OutputRequest> = {}): OutputRequest => ({ kind: 'run', snippet, timeoutMs: (runners.forFile(path.join(snippetsDir, snippet), snippetsDir)?.timeout ?? 10) * 1000, select: [], ...extra })

describe('every preset whose toolchain is here', () => {
  it('has the presets the issue asks for, and this machine has most of their toolchains', () => {
    expect(PRESETS.map((preset) => preset.name)).toEqual(expect.arrayContaining(['python', 'sh', 'node', 'typescript', 'c', 'cpp', 'rust', 'cargo', 'go', 'java', 'javac', 'ruby']))
    expect(available.length).toBeGreaterThanOrEqual(4)
  })

  it.each(available)('$runner: output, a failure, a compile error, a region', async (row) => {
    // The Java compile error is javac's (a package compiled whole), the others the preset's own.
    const brokenRequest = request(row.broken, { ...(row.phase === 'build' ? { phase: 'build' as const } : {}), ...(row.broken.startsWith('javac') ? { runner: 'javac', timeoutMs: 30_000 } : {}) })
    const requests = [request(row.program), request(row.failure), brokenRequest]
    const outcomes = await obtainOutputs(requests, { snippetsDir, projectDir: projectRoot, mode: 'rerun', runners })
    const [program, failure, broken] = requests.map((one) => outcomes.get(requestId(one))!)
    for (const outcome of [program, failure, broken]) expect(outcome!.failure).toBeUndefined()
    expect(program!.stored.exit).toBe('0')
    expect(program!.stored.output).toContain(row.prints)
    expect(failure!.stored.exit).toBe(row.exit)
    expect(failure!.stored.output).toContain(row.failurePrints)
    expect(broken!.stored.exit).toBe(row.brokenExit)
    const runner = brokenRequest.runner ? runners.named(brokenRequest.runner) : runners.forFile(path.join(snippetsDir, row.broken), snippetsDir)
    const short = shapeOutput(broken!.stored.output, { traceback: 'short', marker: '...', ...(row.phase === 'build' && runner?.diagnostics ? { diagnostics: runner.diagnostics } : {}) })
    expect(short).toMatch(row.firstError)
    // No machine path, no scratch folder.
    for (const outcome of [program, failure, broken]) {
      expect(outcome!.stored.output).not.toContain(projectRoot)
      expect(outcome!.stored.output).not.toContain('snippet-builds')
      expect(outcome!.stored.producer).not.toBe('')
      expect(outcome!.stored.options?.join(' ')).toMatch(/runner=\w+:[0-9a-f]{8}/)
    }
    const [file, name, first] = row.region
    const code = selectCode(readFileSync(path.join(snippetsDir, file), 'utf8'), file, { region: name }, runners.forFile(path.join(snippetsDir, file), snippetsDir)!.comment)
    expect(code.split('\n')[0]).toBe(first)
    expect(code).not.toMatch(/#?(end)?region/)
  }, 120_000)

  it('keeps only the first error of a build with traceback=short, with a marker for the rest', async () => {
    const bad = request('c/bad.c', { phase: 'build' })
    const outcome = (await obtainOutputs([bad], { snippetsDir, projectDir: projectRoot, mode: 'rerun', runners })).get(requestId(bad))!
    expect(outcome.stored.output).toMatch(/bad\.c:6:26: error: expected .;. before .return./)
    const short = shapeOutput(outcome.stored.output, { traceback: 'short', marker: '...', diagnostics: runners.named('c')!.diagnostics! })
    expect(short.split('\n')[0]).toMatch(/^bad\.c:5:33: error:/)
    expect(short).not.toContain('bad.c:6:26')
    expect(short.split('\n').at(-1)).toBe('...')
  }, 60_000)

  it('runs a Cargo project, a Go module and a javac package whole: every file of them is in the key', async () => {
    const cargo = request('cargo-words/src/main.rs')
    const module = request('go-module/main.go')
    const javac = request('javac/Main.java', { runner: 'javac', timeoutMs: 30_000 })
    const present = [cargo, module, javac].filter((one) => !isMissing(resolveToolchain(one.runner ? runners.named(one.runner)! : runners.forFile(path.join(snippetsDir, one.snippet), snippetsDir)!)))
    const outcomes = await obtainOutputs(present, { snippetsDir, projectDir: projectRoot, mode: 'rerun', runners })
    const expected: Record<string, [string, RegExp[]]> = {
      'cargo-words/src/main.rs': ['   the 3\n', [/^cargo-words\/src\/main\.rs@/, /^cargo-words\/Cargo\.lock@/, /^cargo-words\/Cargo\.toml@/, /^cargo-words\/src\/count\.rs@/]],
      'go-module/main.go': ['mean 5.00, deviation 2.00\n', [/^go-module\/main\.go@/, /^go-module\/go\.mod@/, /^go-module\/stats\/stats\.go@/]],
      'javac/Main.java': ['hello world, from javac\n', [/^javac\/Main\.java@/, /^javac\/Greeter\.java@/]],
    }
    for (const one of present) {
      const outcome = outcomes.get(requestId(one))!
      const [prints, sources] = expected[one.snippet]!
      expect(outcome.failure).toBeUndefined()
      expect(outcome.stored.output).toContain(prints)
      expect(outcome.stored.sources).toEqual(sources.map((source) => expect.stringMatching(source)))
    }
    expect(present.length).toBeGreaterThan(0)
  }, 120_000)

  it('a build that fails without phase=build is an error with the diagnostics, not a stored output', async () => {
    const bad = request('c/bad.c')
    const outcome = (await obtainOutputs([bad], { snippetsDir, projectDir: projectRoot, mode: 'rerun', runners })).get(requestId(bad))!
    expect(outcome.failure).toMatch(/`snippets\/c\/bad\.c` did not build \(exit status 1\): fix it, or set `phase=build`/)
    expect(outcome.failureRule).toBe('snippet-build') // not reported as a stale output
    expect(outcome.stored.output).toContain('error:')
    expect(outcome.ran).toBe(false)
  }, 60_000)
})

describe('a compiled program is contained as every snippet', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-compiled-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const c = runners.named('c')!
  it.skipIf(isMissing(resolveToolchain(c)))('a hang is stopped at its timeout, a child left running is found and named', async () => {
    mkdirSync(path.join(dir, 'c'))
    writeFileSync(path.join(dir, 'c', 'hang.c'), '#include <stdio.h>\nint main(void) { puts("waiting"); for (;;) {} }\n')
    writeFileSync(path.join(dir, 'c', 'orphan.c'), '#include <stdio.h>\n#include <unistd.h>\nint main(void) { if (fork() == 0) { setsid(); sleep(60); } puts("parent done"); return 0; }\n')
    const hang: OutputRequest = { kind: 'run', snippet: 'c/hang.c', timeoutMs: 1_000, select: [] }
    const orphan: OutputRequest = { kind: 'run', snippet: 'c/orphan.c', timeoutMs: 10_000, select: [] }
    const outcomes = await obtainOutputs([hang, orphan], { snippetsDir: dir, projectDir: projectRoot, mode: 'rerun', runners })
    const hung = outcomes.get(requestId(hang))!
    expect(hung.run?.timedOut).toBe(true)
    expect(hung.stored.output).toBe('waiting\n')
    const left = outcomes.get(requestId(orphan))!
    expect(left.stored.output).toBe('parent done\n')
    expect(left.run?.leftovers.map((entry) => entry.command)).toEqual([expect.stringMatching(/prog$/)])
  }, 60_000)
})

describe("the build's report of a compiled snippet", () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'deck-built-'))
  afterAll(() => rmSync(project, { recursive: true, force: true }))
  it.skipIf(isMissing(resolveToolchain(runners.named('c')!)))('says whether its build ran or was cached, also for a block that shows the build (phase=build)', async () => {
    mkdirSync(path.join(project, 'slides'))
    mkdirSync(path.join(project, 'snippets', 't'), { recursive: true })
    writeFileSync(path.join(project, 'snippets', 't', 'w.c'), 'int main(void) { return 0; }\n')
    writeFileSync(path.join(project, 'slides', 'talk.md'), '---\ntitle: Built\n---\n\n## Build\n\n```{.output run="t/w.c" phase=build}\n```\n\n## Run\n\n```{.output run="t/w.c"}\n```\n')
    const build = () => runCli(['build', 'slides/talk.md', '--html', '--out', 'dist', '--force'], { cwd: project, env: { CI: '' } })
    const first = await build()
    expect(first.status, first.stderr).toBe(0)
    expect(first.stderr).toMatch(/^ran snippets\/t\/w\.c \(built in \d+ ms\)$/m)
    expect(first.stderr).toMatch(/^ran snippets\/t\/w\.c \(built in \d+ ms, \d+ ms\)$/m)
    // The same code again: the program comes from the build cache.
    rmSync(path.join(project, 'snippets', 't', '.outputs'), { recursive: true })
    const again = await build()
    expect(again.status, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/^ran snippets\/t\/w\.c \(build cached\)$/m)
    expect(again.stderr).toMatch(/^ran snippets\/t\/w\.c \(build cached, \d+ ms\)$/m)
  }, 60_000)
})

describe('the example deck', () => {
  it('builds from its stored outputs with none of its toolchains reachable', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'deck-no-home-'))
    const out = mkdtempSync(path.join(os.tmpdir(), 'deck-polyglot-'))
    // What the build below sees: no command runner finds its toolchain.
    const saved = { HOME: process.env.HOME, DECK_PINNED_PATH: process.env.DECK_PINNED_PATH }
    Object.assign(process.env, { HOME: home, DECK_PINNED_PATH: path.join(home, 'bin') })
    try {
      const reachable = runners.runners.filter((runner) => !runner.builtin && !isMissing(resolveToolchain(runner)))
      expect(reachable.map((runner) => runner.name)).toEqual([])
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
    try {
      const result = await runCli(['build', path.join(exampleDir, 'polyglot.md'), '--html', '--out', out, '--force'], {
        env: { CI: 'true', DECK_PINNED_PATH: path.join(home, 'bin'), HOME: home },
      })
      expect(result.stderr).not.toContain('ran snippets')
      expect(result.stderr).toMatch(/reused \d+ stored outputs/)
      expect(result.status).toBe(0)
      const html = readFileSync(path.join(out, 'polyglot.html'), 'utf8')
      expect(html).toContain('squares: [1, 4, 9, 16, 25]')
      expect(html).toContain('apples 7')
    } finally {
      rmSync(home, { recursive: true, force: true })
      rmSync(out, { recursive: true, force: true })
    }
  }, 180_000)
})

describe('deck.config.yaml', () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'deck-config-'))
  afterAll(() => rmSync(project, { recursive: true, force: true }))
  const deckFile = path.join(project, 'slides', 'talk.md')
  const configFile = path.join(project, 'slides', 'deck.config.yaml')
  mkdirSync(path.join(project, 'slides'), { recursive: true })
  mkdirSync(path.join(project, 'snippets', 'tally'), { recursive: true })
  writeFileSync(path.join(project, 'snippets', 'tally', 'tally.awk'), '# region sum\n{ total += $2 }\nEND { print "total", total }\n# endregion\n')
  writeFileSync(path.join(project, 'snippets', 'tally', 'sales.txt'), 'apples 3\npears 2\n')
  const DECK = '---\ntitle: T\ncolortheme: beaver\n---\n\n## Tally\n\n```{.awk file="tally/tally.awk" region="sum"}\n```\n\n```{.output run="tally/tally.awk"}\n```\n'
  const CONFIG = 'defaults:\n  colortheme: crane\n  snippet-traceback: short\nrunners:\n  tally:\n    extensions: [.awk]\n    language: awk\n    run: awk -f {file} sales.txt\n    version: awk -W version\n    sources: ["*.txt"]\n'
  const prepare = async (mode: 'reuse' | 'frozen' = 'reuse') => {
    const file = new VFile({ path: deckFile, value: readFileSync(deckFile, 'utf8') })
    try {
      const deck = await prepareDeck(file, mode)
      return { file, deck }
    } catch {
      return { file, deck: undefined }
    }
  }

  it('defines a runner of its own that works end to end, and the project defaults under the front matter', async () => {
    writeFileSync(deckFile, DECK)
    writeFileSync(configFile, CONFIG)
    const { file, deck } = await prepare()
    expect(formatMessages(file)).toBe('')
    const codes = JSON.stringify(deck!.slides.map((slide) => slide.body))
    expect(codes).toContain('total 5')
    expect(codes).toContain('"lang":"awk"')
    expect(codes).toContain('{ total += $2 }')
    expect(codes).not.toContain('# region')
    // The front matter's colortheme wins over the project's; the project's traceback style holds.
    expect(deck!.settings.colortheme).toBe('beaver')
    expect(deck!.settings.snippetTraceback).toBe('short')
    // The data file is a declared source: editing it makes the output stale.
    const outcome = file.data.snippets!.outcomes[0]!
    expect(outcome.stored.sources).toEqual([expect.stringMatching(/^tally\/tally\.awk@/), expect.stringMatching(/^tally\/sales\.txt@/)])
    const { commitSnippetOutputs } = await import('../scripts/snippets/commit.ts')
    commitSnippetOutputs(file.data.snippets)
    expect((await prepare('frozen')).deck).toBeDefined()
    writeFileSync(path.join(project, 'snippets', 'tally', 'sales.txt'), 'apples 3\npears 4\n')
    const stale = await prepare('frozen')
    expect(formatMessages(stale.file)).toMatch(/talk\.md:11:1 error The stored output of `snippets\/tally\/tally\.awk` is stale \(`snippets\/tally\/sales\.txt`, which it imports, changed\)/)
  }, 60_000)

  it("makes outputs stale when the toolchain's version changes", async () => {
    writeFileSync(deckFile, DECK)
    writeFileSync(configFile, CONFIG.replace('version: awk -W version', 'version: echo tally 1.0'))
    const first = await prepare()
    expect(formatMessages(first.file)).toBe('')
    expect(first.file.data.snippets!.outcomes[0]!.stored.producer).toBe('tally 1.0')
    const { commitSnippetOutputs } = await import('../scripts/snippets/commit.ts')
    commitSnippetOutputs(first.file.data.snippets)
    expect((await prepare('frozen')).deck).toBeDefined()
    writeFileSync(configFile, CONFIG.replace('version: awk -W version', 'version: echo tally 2.0'))
    const stale = await prepare('frozen')
    expect(formatMessages(stale.file)).toMatch(/talk\.md:11:1 error The stored output of `snippets\/tally\/tally\.awk` is stale \(the interpreter changed from tally 1\.0 to tally 2\.0\)/)
  })

  it('names the runner and how to configure it when its toolchain is missing', async () => {
    writeFileSync(deckFile, DECK.replace('tally.awk"}', 'tally.awk" timeout=3}'))
    writeFileSync(configFile, CONFIG.replace('version: awk -W version', 'version: no-such-awk --version'))
    const { file } = await prepare()
    expect(formatMessages(file)).toMatch(
      /talk\.md:11:1 error Cannot run `snippets\/tally\/tally\.awk`: the `tally` runner needs `no-such-awk`, which is not on its PATH \(\/usr\/local\/bin:\/usr\/bin:\/bin\), and its stored output is missing or stale: install it, or add its folder to `runners\.tally\.path` in deck\.config\.yaml/,
    )
  })

  it('a block naming a runner that does not exist: an error at the block with a did-you-mean', async () => {
    writeFileSync(deckFile, DECK.replace('run="tally/tally.awk"}', 'run="tally/tally.awk" runner=taly}'))
    writeFileSync(configFile, CONFIG)
    const { file, deck } = await prepare()
    expect(deck).toBeUndefined()
    expect(formatMessages(file)).toMatch(/talk\.md:11:1 error No runner `taly`: did you mean `tally`\? \(known: tally, python, /)
    writeFileSync(deckFile, DECK.replace('run="tally/tally.awk"}', 'run="tally/tally.awk" runner=zzzzzzzz}'))
    expect(formatMessages((await prepare()).file)).toMatch(/error No runner `zzzzzzzz` \(known: /)
  })

  it('reports a broken configuration at its place in the file', async () => {
    writeFileSync(deckFile, DECK)
    writeFileSync(configFile, CONFIG.replace('    run: awk', '    rn: awk'))
    const { file, deck } = await prepare()
    expect(deck).toBeUndefined()
    expect(formatMessages(file)).toBe(`${path.relative(process.cwd(), configFile)}:8:5 error Unknown field \`rn\` in \`runners.tally\` (known: from, extensions, project, language, comment, build, run, version, sources, imports, path, env, timeout, build-timeout, diagnostics, replace): did you mean \`run\`? (deck-config)`)
  })

  it.each([
    ['runners:\n  perl6:\n    extensions: [.p6]\n    run: raku {file}\n', '2:3', '`runners.perl6` needs `version`'],
    ['runners:\n  rust:\n    timeout: forever\n', '3:14', 'Expected `runners.rust.timeout` in seconds (up to 3600), not `forever`'],
    ['runners:\n  python:\n    env: { X: "1" }\n', '3:10', '`runners.python.env`: the python preset runs with its own environment and key'],
    ['runners:\n  c:\n    diagnostics: { start: "(", error: "x" }\n', '3:27', '`runners.c.diagnostics.start` is not a regular expression'],
    ['runners:\n  c:\n    env: { PATH: /opt/bin }\n', '3:12', 'Set `runners.c.path` (folders put before the pinned PATH) instead of `PATH`'],
    ['runners:\n  mine:\n    from: nothing\n', '3:11', '`runners.mine.from` names no runner: `nothing`'],
    ['defaults:\n  colortheme: purple\n', '2:15', 'Expected `colortheme` to be one of crane, beaver, default, not `purple`'],
    ['defualts:\n  colortheme: crane\n', '1:1', 'Unknown section `defualts` (known: defaults, runners): did you mean `defaults`?'],
    ['runners:\n  c: [\n', '3:1', 'Cannot parse deck.config.yaml'],
  ])('%j is an error at %s', (text, place, reason) => {
    let thrown: unknown
    try {
      parseConfig(text, 'deck.config.yaml', DEFAULT_SETTINGS, PRESETS)
    } catch (error) {
      thrown = error
    }
    const message = thrown as { reason: string; line: number; column: number; file: string }
    expect(message.file).toBe('deck.config.yaml')
    expect(`${message.line}:${message.column}`).toBe(place)
    expect(message.reason).toContain(reason)
  })
})
