/** The message printer (core/report.ts): the `path:line:column severity reason (rule)` shape, in file order. */
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { formatMessages } from '../scripts/core/report.ts'
import { timingsWanted } from '../scripts/core/timings.ts'

function deckWithMessages(): VFile {
  const file = new VFile({ path: 'slides/deck.md', value: '' })
  // In the order the stages would find them: a late stage's warning first.
  file.message('Unknown attribute `regoin`', { place: { line: 7, column: 1 }, ruleId: 'code-attributes', source: 'snippets' })
  file.message('Raw TeX `\\foo` is dropped', { place: { start: { line: 3, column: 6 }, end: { line: 3, column: 10 } }, ruleId: 'raw-tex', source: 'tex' })
  const error = file.message('No region `gret`', { place: { line: 12, column: 3 }, ruleId: 'snippet-region', source: 'snippets' })
  error.fatal = true
  error.note = 'it has `greet`'
  file.message('Slides not checked for overflow', { ruleId: 'overflow-unchecked', source: 'theme' })
  return file
}

describe('formatMessages', () => {
  it('prints by place in the file, not in the order the stages found them', () => {
    expect(formatMessages(deckWithMessages()).split('\n')).toEqual([
      'slides/deck.md warning Slides not checked for overflow (overflow-unchecked)',
      'slides/deck.md:3:6 warning Raw TeX `\\foo` is dropped (raw-tex)',
      'slides/deck.md:7:1 warning Unknown attribute `regoin` (code-attributes)',
      'slides/deck.md:12:3 error No region `gret` (snippet-region)',
      '    it has `greet`',
    ])
  })

  it('puts an error before a warning at the same place; --quiet keeps the errors only', () => {
    const file = new VFile({ path: 'talk.md' })
    file.message('a warning', { place: { line: 2, column: 1 }, ruleId: 'b' })
    file.message('an error', { place: { line: 2, column: 1 }, ruleId: 'a' }).fatal = true
    expect(formatMessages(file)).toBe('talk.md:2:1 error an error (a)\ntalk.md:2:1 warning a warning (b)')
    expect(formatMessages(file, { quiet: true })).toBe('talk.md:2:1 error an error (a)')
  })
})

describe('DECK_TIMINGS', () => {
  it('is on for 1 (or any other word), off unset, empty, 0, false or no', () => {
    const saved = process.env.DECK_TIMINGS
    try {
      const wanted = (value: string | undefined) => {
        if (value === undefined) delete process.env.DECK_TIMINGS
        else process.env.DECK_TIMINGS = value
        return timingsWanted()
      }
      expect([undefined, '', '0', 'false', 'No', ' 0 '].map(wanted)).toEqual([false, false, false, false, false, false])
      expect(['1', 'yes', 'true'].map(wanted)).toEqual([true, true, true])
    } finally {
      if (saved === undefined) delete process.env.DECK_TIMINGS
      else process.env.DECK_TIMINGS = saved
    }
  })
})
