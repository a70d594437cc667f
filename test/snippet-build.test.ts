/**
 * End to end, as a user works: a deck with code and output blocks in a project of its own;
 * edit a snippet, build, see only it re-run; CI refuses stale outputs; verify shows drift.
 * Each test has a project of its own (`fresh()`), its outputs stored first where it needs them
 * (parsed in this process, helpers/prepare.ts): no test depends on another having run.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, runCliProcess } from './helpers/cli.ts'
import { prepareMessages } from './helpers/prepare.ts'

let project: string
const deck = () => path.join(project, 'slides', 'talk.md')
const out = () => path.join(project, 'dist')
const html = () => readFileSync(path.join(out(), 'talk.html'), 'utf8')
const build = (...args: string[]) => runCli(['build', deck(), '--html', '--out', out(), '--force', ...args], { cwd: project, env: { CI: '' } })

const DECK = `---
title: Demo
snippet-traceback: short
---

# Demo

## Code and output

\`\`\`{.python file="demo/greet.py" region="greet"}
\`\`\`

\`\`\`{.output run="demo/greet.py"}
\`\`\`

## Failure

\`\`\`{.output run="demo/fails.py" exit=1}
\`\`\`
`

let work: string
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-snippets-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A new project for the test; `stored`: its snippets' outputs stored, as after a first build. */
async function fresh(options: { stored?: boolean } = {}): Promise<void> {
  project = mkdtempSync(path.join(work, 'project-'))
  mkdirSync(path.join(project, 'slides'))
  mkdirSync(path.join(project, 'snippets', 'demo'), { recursive: true })
  writeFileSync(deck(), DECK)
  writeFileSync(
    path.join(project, 'snippets', 'demo', 'greet.py'),
    'from helper import NAME\n\n\n# region greet\ndef greet(name):\n    print(f"hello <{name}>")\n# endregion\n\n\ngreet(NAME)\n',
  )
  writeFileSync(path.join(project, 'snippets', 'demo', 'helper.py'), 'NAME = "world"\n')
  writeFileSync(path.join(project, 'snippets', 'demo', 'fails.py'), 'def main():\n    raise ValueError("bad value")\n\n\nmain()\n')
  if (options.stored) expect((await prepareMessages(deck(), 'reuse', { commit: true })).failed).toBe(false)
}

describe('a deck with snippets', () => {
  it('builds: the slide shows the region and the real, escaped output', async () => {
    await fresh()
    const result = await build()
    expect(result.stderr).toContain('ran snippets/demo/greet.py')
    expect(result.stderr).toContain('ran snippets/demo/fails.py')
    expect(result.status).toBe(0)
    // marp-cli's progress lines (`[  INFO ] ... => ...`) stay in its thread (render/marp-worker.ts).
    expect(result.stderr + result.stdout).not.toMatch(/\[\s*(INFO|WARN|ERROR)\s*\]|=>/)
    const page = html()
    expect(page).toContain('<span style="color:#007020;font-weight:bold">def</span> greet(name):')
    expect(page).not.toContain('# region')
    expect(page).toContain('hello &lt;world&gt;')
    expect(page).toContain('Traceback (most recent call last):\n...\nValueError: bad value')
    expect(readdirSync(path.join(project, 'snippets', 'demo', '.outputs')).sort()).toEqual(['fails.py.out', 'greet.py.out'])
  })

  it('reuses fresh outputs: nothing runs', async () => {
    await fresh({ stored: true })
    const result = await build()
    expect(result.status).toBe(0)
    expect(result.stderr).not.toContain('ran snippets')
    expect(result.stderr).toContain('reused 2 stored outputs')
  })

  it('skips a build when nothing changed since the last one', async () => {
    await fresh({ stored: true })
    expect((await build()).status).toBe(0)
    const again = await runCli(['build', deck(), '--html', '--out', out()], { cwd: project, env: { CI: '' } })
    expect(again.status).toBe(0)
    expect(again.stderr).toContain('talk.md: up to date')
    writeFileSync(path.join(project, 'snippets', 'demo', 'greet.py'), readFileSync(path.join(project, 'snippets', 'demo', 'greet.py'), 'utf8').replace('hello', 'hello,'))
    const edited = await runCli(['build', deck(), '--html', '--out', out()], { cwd: project, env: { CI: '' } })
    expect(edited.stderr).toContain('ran snippets/demo/greet.py')
    expect(html()).toContain('hello, &lt;world&gt;')
  })

  it('re-runs only the snippet whose import changed', async () => {
    await fresh({ stored: true })
    writeFileSync(path.join(project, 'snippets', 'demo', 'helper.py'), 'NAME = "everyone"\n')
    const result = await build()
    expect(result.status).toBe(0)
    expect(result.stderr).toMatch(/ran snippets\/demo\/greet\.py/)
    expect(result.stderr).not.toContain('ran snippets/demo/fails.py')
    expect(result.stderr).toContain('reused 1 stored output')
    expect(html()).toContain('hello &lt;everyone&gt;')
  })

  it('with CI=true, a stale output fails the build, names the snippet and keeps dist/ and the store', async () => {
    await fresh({ stored: true })
    mkdirSync(out())
    writeFileSync(path.join(out(), 'talk.html'), '<p>the last build</p>')
    const stored = readFileSync(path.join(project, 'snippets', 'demo', '.outputs', 'fails.py.out'), 'utf8')
    const before = html()
    writeFileSync(path.join(project, 'snippets', 'demo', 'fails.py'), 'def main():\n    raise ValueError("worse value")\n\n\nmain()\n')
    const result = await runCli(['build', deck(), '--html', '--out', out(), '--force'], { cwd: project, env: { CI: 'true' } })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/talk\.md:18:1 error The stored output of `snippets\/demo\/fails\.py` is stale.*npm run update/)
    expect(html()).toBe(before)
    expect(readFileSync(path.join(project, 'snippets', 'demo', '.outputs', 'fails.py.out'), 'utf8')).toBe(stored)
  })

  it('verify shows the drift as a unified diff and exits 1; update rewrites', async () => {
    await fresh({ stored: true })
    writeFileSync(path.join(project, 'snippets', 'demo', 'fails.py'), 'def main():\n    raise ValueError("worse value")\n\n\nmain()\n')
    const verify = await runCli(['verify', deck()], { cwd: project })
    expect(verify.status).toBe(1)
    expect(verify.stdout).toContain('--- snippets/demo/fails.py (committed)')
    expect(verify.stdout).toContain('-ValueError: bad value')
    expect(verify.stdout).toContain('+ValueError: worse value')
    const update = await runCli(['update', deck()], { cwd: project })
    expect(update.status).toBe(0)
    expect((await runCli(['verify', deck()], { cwd: project })).status).toBe(0)
    expect((await runCli(['build', deck(), '--html', '--out', out()], { cwd: project, env: { CI: 'true' } })).status).toBe(0)
  })

  it('verify names a committed output recorded from other code that prints the same, and exits 1', async () => {
    await fresh({ stored: true })
    const greet = path.join(project, 'snippets', 'demo', 'greet.py')
    const source = readFileSync(greet, 'utf8')
    writeFileSync(greet, `# a comment changes the code, not what it prints\n${source}`)
    try {
      const verify = await runCli(['verify', deck()], { cwd: project })
      expect(verify.status).toBe(1)
      expect(verify.stdout).toMatch(/snippets\/demo\/greet\.py: prints the same, but its committed output was recorded from other code.*npm run update/)
      expect(verify.stderr).toContain('2 outputs checked: 1 stale')
    } finally {
      writeFileSync(greet, source)
    }
    expect((await runCli(['verify', deck()], { cwd: project })).status).toBe(0)
  })

  it('verify --repeat names a snippet whose output varies between runs', async () => {
    await fresh()
    const random = path.join(project, 'snippets', 'demo', 'random.py')
    writeFileSync(random, 'import random\n\nprint(random.random())\n')
    // a lint block on a snippet that also runs: two outputs of one file, neither varies
    writeFileSync(deck(), `${DECK}\n## Random\n\n\`\`\`{.output run="demo/random.py"}\n\`\`\`\n\n\`\`\`{.lint run="demo/greet.py" select="F"}\n\`\`\`\n`)
    try {
      expect((await runCli(['update', deck()], { cwd: project })).status).toBe(0)
      const result = await runCli(['verify', deck(), '--repeat', '3'], { cwd: project })
      expect(result.status).toBe(1)
      expect(result.stdout).toContain('snippets/demo/random.py: output varies between 3 runs')
      expect(result.stdout).not.toContain('snippets/demo/greet.py: output varies')
    } finally {
      writeFileSync(deck(), DECK)
      rmSync(random)
      rmSync(path.join(project, 'snippets', 'demo', '.outputs', 'random.py.out'), { force: true })
      rmSync(path.join(project, 'snippets', 'demo', '.outputs', 'greet.py.lint-F.txt'), { force: true })
    }
  })

  it('a wrong exit status is an error at the block with the output tail', async () => {
    await fresh()
    writeFileSync(deck(), DECK.replace('run="demo/fails.py" exit=1', 'run="demo/fails.py"'))
    const result = await prepareMessages(deck())
    expect(result.failed).toBe(true)
    expect(result.stderr).toMatch(/talk\.md:18:1 error `snippets\/demo\/fails\.py` ended with exit status 1, expected success/)
    expect(result.stderr).toContain('    ValueError: bad value')
  })

  it('a missing region is an error at the block that lists the regions', async () => {
    await fresh()
    writeFileSync(deck(), DECK.replace('region="greet"', 'region="gret"'))
    const result = await prepareMessages(deck())
    expect(result.failed).toBe(true)
    expect(result.stderr).toMatch(/talk\.md:10:1 error No region `gret` in `snippets\/demo\/greet\.py`: it has `greet`/)
  })

  it('builds with fresh outputs and no Python on PATH', async () => {
    await fresh({ stored: true })
    const emptyBin = mkdtempSync(path.join(os.tmpdir(), 'no-python-'))
    try {
      // In child processes: PATH is the process's, as a user without Python has it.
      const result = await runCliProcess(['build', deck(), '--html', '--out', out(), '--force'], { cwd: project, env: { PATH: emptyBin, CI: 'true', DECK_PYTHON: '' } })
      expect(result.stderr).toContain('reused 2 stored outputs')
      expect(result.status).toBe(0)
      // and a stale one then says what is missing
      writeFileSync(path.join(project, 'snippets', 'demo', 'helper.py'), 'NAME = "nobody"\n')
      const stale = await runCliProcess(['build', deck(), '--html', '--out', out()], { cwd: project, env: { PATH: emptyBin, DECK_PYTHON: '', CI: '' } })
      expect(stale.status).toBe(1)
      expect(stale.stderr).toMatch(/Cannot run `snippets\/demo\/greet\.py`: no `python3` on PATH/)
    } finally {
      rmSync(emptyBin, { recursive: true, force: true })
    }
  })
})

