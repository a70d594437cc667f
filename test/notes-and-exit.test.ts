/**
 * Speaker notes reach both outputs (PDF annotations, the HTML presenter view), and an exit status
 * is an error unless the block declares it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { runCli } from './helpers/cli.ts'

let project: string
beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'deck-notes-'))
  mkdirSync(path.join(project, 'slides'))
  mkdirSync(path.join(project, 'snippets', 'demo'), { recursive: true })
  writeFileSync(path.join(project, 'snippets', 'demo', 'exit3.py'), 'import sys\n\nprint("exiting with 3")\nsys.exit(3)\n')
})
afterAll(() => rmSync(project, { recursive: true, force: true }))

const deck = (exit: string) => `---
title: Notes
---

# Part

## With notes

Visible text.

::: notes
Say **this** out loud.
:::

## Exit

\`\`\`{.output run="demo/exit3.py"${exit}}
\`\`\`
`

describe('speaker notes', () => {
  it('are PDF annotations that show no icon, and part of the HTML presenter view', async () => {
    writeFileSync(path.join(project, 'slides', 'talk.md'), deck(' exit=3'))
    const result = await runCli(['build', 'slides/talk.md', '--out', 'dist'], { cwd: project })
    expect(result.status, result.stderr).toBe(0)
    const pdf = await getDocument({ data: new Uint8Array(readFileSync(path.join(project, 'dist', 'talk.pdf'))), verbosity: 0 }).promise
    // title, section "Part", then the slide with notes
    const notes: string[] = []
    const shown: string[] = []
    for (let page = 1; page <= pdf.numPages; page++) {
      // intent `any`: the notes are flagged NoView (32), so a viewer draws no note icon on the page
      for (const annotation of await (await pdf.getPage(page)).getAnnotations({ intent: 'any' })) {
        if (annotation.subtype !== 'Text') continue
        notes.push(`${page}: ${annotation.contentsObj?.str ?? ''}`)
        expect(annotation.annotationFlags & 32).toBe(32)
      }
      for (const annotation of await (await pdf.getPage(page)).getAnnotations({ intent: 'display' })) {
        if (annotation.subtype === 'Text') shown.push(`${page}`)
      }
    }
    // The notes' text as the presenter view shows it (rendered from their Markdown).
    expect(notes).toEqual(['3: Say this out loud.'])
    expect(shown).toEqual([])
    await pdf.destroy()
    const html = readFileSync(path.join(project, 'dist', 'talk.html'), 'utf8')
    expect(html).toContain('class="bespoke-marp-note" data-index="2" tabindex="0"><p>Say <strong>this</strong> out loud.</p>')
  })
})

describe('speaker notes of a slide with steps, PDF alone', () => {
  it('are the rendered text, on the slide\'s first page', async () => {
    const source = deck(' exit=3').replace('Visible text.', 'Visible text.\n\n. . .\n\nThen more.')
    writeFileSync(path.join(project, 'slides', 'talk.md'), source)
    const result = await runCli(['build', 'slides/talk.md', '--pdf', '--out', 'dist-pdf', '--force'], { cwd: project })
    expect(result.status, result.stderr).toBe(0)
    const pdf = await getDocument({ data: new Uint8Array(readFileSync(path.join(project, 'dist-pdf', 'talk.pdf'))), verbosity: 0 }).promise
    const notes: string[] = []
    for (let page = 1; page <= pdf.numPages; page++) {
      for (const annotation of await (await pdf.getPage(page)).getAnnotations({ intent: 'any' })) {
        if (annotation.subtype === 'Text') notes.push(`${page}: ${annotation.contentsObj?.str ?? ''}`)
      }
    }
    await pdf.destroy()
    // The slide's two steps are pages 3 and 4; its notes are kept once, as the presenter reads them.
    expect(notes).toEqual(['3: Say this out loud.'])
  })
})

describe('exit status', () => {
  it('sys.exit(3) without exit=3 is an error at the block; with exit=3 the slide shows the output', async () => {
    writeFileSync(path.join(project, 'slides', 'talk.md'), deck(''))
    const failing = await runCli(['build', 'slides/talk.md', '--html', '--out', 'dist', '--force'], { cwd: project })
    expect(failing.status).toBe(1)
    expect(failing.stderr).toMatch(/talk\.md:17:1 error `snippets\/demo\/exit3\.py` ended with exit status 3, expected success/)
    writeFileSync(path.join(project, 'slides', 'talk.md'), deck(' exit=3'))
    const passing = await runCli(['build', 'slides/talk.md', '--html', '--out', 'dist', '--force'], { cwd: project })
    expect(passing.status).toBe(0)
    expect(readFileSync(path.join(project, 'dist', 'talk.html'), 'utf8')).toContain('exiting with 3')
  })
})
