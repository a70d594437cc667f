/**
 * micromark syntax extension for pandoc's grid tables (its `grid_tables`): a block that starts
 * at the margin with a border line (`+---+---+`), whose lines all start with `+` or `|`, and
 * that ends with a border line (or its last row: pandoc allows that). The lines are kept as they are (`gridTableLine`); the mdast
 * utility (remark-grid-table) cuts them into rows and cells.
 */
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types'
import { markdownLineEnding } from 'micromark-util-character'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    gridTable: 'gridTable'
    gridTableLine: 'gridTableLine'
  }
}

const PLUS = 43
const PIPE = 124
export const BORDER = /^\+(?:[-=:]+\+)+\s*$/

export function gridTable(): Extension {
  return { flow: { [PLUS]: gridTableConstruct } }
}

const gridTableConstruct: Construct = { name: 'gridTable', tokenize: tokenizeGridTable, concrete: true }

function tokenizeGridTable(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const nextLine: Construct = { tokenize: tokenizeNextLine, partial: true }
  let text = ''
  let lastWasBorder = false
  let rows = 0
  return start

  function start(code: Code): State | undefined {
    const tail = self.events[self.events.length - 1]
    if (self.interrupt || (tail && tail[1].type === 'linePrefix' && tail[1].end.offset === self.now().offset)) return nok(code)
    effects.enter('gridTable')
    return lineStart(code)
  }

  function lineStart(code: Code): State | undefined {
    text = ''
    effects.enter('gridTableLine')
    return line(code)
  }

  function line(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) {
      effects.exit('gridTableLine')
      lastWasBorder = BORDER.test(text)
      // The first line is a border; every line is a border or a row of cells.
      if (!lastWasBorder && (text.startsWith('+') || !text.startsWith('|'))) return nok(code)
      if (!lastWasBorder) rows++
      if (code === null) return end(code)
      // While it looks at the next line, the table is no paragraph a container there would interrupt.
      self.currentConstruct = undefined
      return effects.check(nextLine, goOn, end)(code)
    }
    text += String.fromCharCode(code < 0 ? 32 : code)
    if (text === '|' && !self.events.some((event) => event[1].type === 'gridTableLine' && event[0] === 'exit')) return nok(code)
    effects.consume(code)
    return line
  }

  function goOn(code: Code): State | undefined {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return lineStart
  }

  function end(code: Code): State | undefined {
    // pandoc lets the last row go without its closing border.
    if (rows === 0) return nok(code)
    effects.exit('gridTable')
    return ok(code)
  }

  function tokenizeNextLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const context = this
    return (code: Code) => {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return (next: Code) => (!context.parser.lazy[context.now().line] && (next === PLUS || next === PIPE) ? ok(next) : nok(next))
    }
  }
}
