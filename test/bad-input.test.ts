/**
 * Bad input as a new user would give it: each is a positioned error, a non-zero exit, and the
 * previous outputs in the output folder stay as they were.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, runCliProcess } from './helpers/cli.ts'
import { prepareMessages } from './helpers/prepare.ts'

let work: string
const previous = { 'talk.html': '<p>previous html</p>', 'talk.pdf': '%PDF previous' }

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deck-bad-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const cases: Array<[string, string, RegExp]> = [
  ['broken YAML', '---\ntitle: "unterminated\nauthor: [a, b\n---\n\n## Slide\n\nText.\n', /talk\.md:\d+:\d+.*error.*Cannot parse the front matter/],
  ['a known key with a bad value', '---\ntitle: T\naspectratio: 42\n---\n\n## Slide\n', /talk\.md:3:14.*error.*Expected `aspectratio` to be one of/],
  ['an unclosed div', '## Slide\n\nText.\n\n::: columns\n\n:::: column\nLeft\n::::\n', /talk\.md:5:1.*error.*Unclosed div `columns`/],
  ['a missing image', '## Slide\n\nSee:\n\n![Plot](img/missing.png)\n', /talk\.md:5:1 error.*Cannot find image `img\/missing.png`/],
]

describe('bad input', () => {
  // The first through the command line (exit status, outputs kept); the others only check the
  // message and its place, parsed in this process as the build parses first.
  it.each(cases.slice(1))('%s: positioned error', async (_name, markdown, expected) => {
    const dir = mkdtempSync(path.join(work, 'case-'))
    writeFileSync(path.join(dir, 'talk.md'), markdown)
    const result = await prepareMessages(path.join(dir, 'talk.md'))
    expect(result.failed).toBe(true)
    expect(result.stderr).toMatch(expected)
  })

  it.each(cases.slice(0, 1))('%s: positioned error, exit 1, outputs kept', async (_name, markdown, expected) => {
    const dir = mkdtempSync(path.join(work, 'case-'))
    const out = path.join(dir, 'dist')
    mkdirSync(out)
    for (const [name, content] of Object.entries(previous)) writeFileSync(path.join(out, name), content)
    writeFileSync(path.join(dir, 'talk.md'), markdown)
    const result = await runCli(['build', 'talk.md', '--out', out], { cwd: dir })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(expected)
    expect(readdirSync(out).sort()).toEqual(Object.keys(previous).sort())
    for (const [name, content] of Object.entries(previous)) expect(readFileSync(path.join(out, name), 'utf8')).toBe(content)
  })

  it('an unknown deck path is an error naming the path', async () => {
    const result = await runCli(['build', 'no/such/deck.md', '--out', path.join(work, 'out')], { cwd: work })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/no\/such\/deck\.md.*error.*Cannot find the deck/)
  })

  it('no browser: a clear error for the PDF, outputs kept; HTML alone builds with a warning', async () => {
    const dir = mkdtempSync(path.join(work, 'nobrowser-'))
    const out = path.join(dir, 'dist')
    mkdirSync(out)
    for (const [name, content] of Object.entries(previous)) writeFileSync(path.join(out, name), content)
    writeFileSync(path.join(dir, 'talk.md'), '## Slide\n\nText.\n')
    const env = { CHROME_PATH: path.join(dir, 'no-such-chrome') }
    // In a child process each: the browser is found once per process, from CHROME_PATH.
    const pdf = await runCliProcess(['build', 'talk.md', '--out', out], { cwd: dir, env })
    expect(pdf.status).toBe(1)
    expect(pdf.stderr).toMatch(/talk\.md error CHROME_PATH is `.*no-such-chrome`, which is not an executable file/)
    for (const [name, content] of Object.entries(previous)) expect(readFileSync(path.join(out, name), 'utf8')).toBe(content)
    const html = await runCliProcess(['build', 'talk.md', '--html', '--out', out], { cwd: dir, env })
    expect(html.status).toBe(0)
    expect(html.stderr).toContain('warning Slides not checked for overflow')
    writeFileSync(path.join(dir, 'broken-chrome'), '#!/bin/sh\necho cannot start >&2\nexit 1\n', { mode: 0o755 })
    const broken = await runCliProcess(['build', 'talk.md', '--pdf', '--out', out], { cwd: dir, env: { CHROME_PATH: path.join(dir, 'broken-chrome') } })
    expect(broken.status).toBe(1)
    expect(broken.stderr).toMatch(/talk\.md error Failed to launch the browser process[\s\S]*cannot start/)
    expect(readFileSync(path.join(out, 'talk.pdf'), 'utf8')).toBe(previous['talk.pdf'])
  })

  it('an unknown command is a usage error', async () => {
    const result = await runCli(['bulid'])
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('Unknown command `bulid`')
  })
})
