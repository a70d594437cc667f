/**
 * micromark syntax extension for pandoc's line blocks (its `line_blocks`): lines that start with
 * `| ` (or a bare `|`) keep their line breaks; a line that starts with a space continues the line
 * before it. As in pandoc, a pipe table (a `|` line followed by a delimiter row) is no line block,
 * a line block does not interrupt a paragraph, and any other line ends it.
 */
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types'
import { markdownLineEnding, markdownSpace } from 'micromark-util-character'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    lineBlock: 'lineBlock'
    lineBlockLine: 'lineBlockLine'
    lineBlockMarker: 'lineBlockMarker'
  }
}

const PIPE = 124
const DELIMITER_ROW = /^\|?(\s*:?-+:?\s*\|)+(\s*:?-+:?\s*)?$|^\|?\s*:?-+:?\s*$/

export function lineBlock(): Extension {
  return { flow: { [PIPE]: lineBlockConstruct } }
}

const lineBlockConstruct: Construct = { name: 'lineBlock', tokenize: tokenizeLineBlock }

function tokenizeLineBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const nextLine: Construct = { tokenize: tokenizeNextLine, partial: true }
  const notTable: Construct = { tokenize: tokenizeNotTable, partial: true }
  /** What the next line is: another line of the block, or the rest of the current one. */
  let next: 'line' | 'continuation' = 'line'
  return start

  function start(code: Code): State | undefined {
    const tail = self.events[self.events.length - 1]
    if (self.interrupt || (tail && tail[1].type === 'linePrefix' && tail[1].end.offset === self.now().offset)) return nok(code)
    if (inTable()) return nok(code)
    // (It looks at the next line here too.)
    self.currentConstruct = undefined
    return effects.check(notTable, begin, nok)(code)
  }

  /** A `|` line right after a table's head or row is the table's next row. */
  function inTable(): boolean {
    let index = self.events.length - 1
    while (index >= 0 && (self.events[index]?.[1].type === 'lineEnding' || self.events[index]?.[1].type === 'linePrefix')) index--
    // micromark-extension-gfm-table's token types (not declared for us to compare with).
    const type: string | undefined = self.events[index]?.[1].type
    return type === 'tableHead' || type === 'tableRow'
  }

  function begin(code: Code): State | undefined {
    effects.enter('lineBlock')
    return line(code)
  }

  function line(code: Code): State | undefined {
    effects.enter('lineBlockLine')
    effects.enter('lineBlockMarker')
    effects.consume(code)
    return afterPipe
  }

  function afterPipe(code: Code): State | undefined {
    if (code === 32) {
      effects.consume(code)
      effects.exit('lineBlockMarker')
      return textStart
    }
    if (code === null || markdownLineEnding(code)) {
      effects.exit('lineBlockMarker')
      return lineEnd(code)
    }
    return nok(code)
  }

  function textStart(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return lineEnd(code)
    effects.enter('chunkText', { contentType: 'text' })
    return text(code)
  }

  function text(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) {
      effects.exit('chunkText')
      return lineEnd(code)
    }
    effects.consume(code)
    return text
  }

  function lineEnd(code: Code): State | undefined {
    if (code === null) return done(code)
    // While it looks at the next line, the block is no paragraph that a container there would
    // interrupt (`| line` then `> quote` starts the quote).
    self.currentConstruct = undefined
    return effects.check(nextLine, goOn, done)(code)
  }

  function goOn(code: Code): State | undefined {
    if (next === 'line') effects.exit('lineBlockLine')
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return next === 'line' ? line : textStart
  }

  function done(code: Code): State | undefined {
    effects.exit('lineBlockLine')
    effects.exit('lineBlock')
    return ok(code)
  }

  function tokenizeNextLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const context = this
    return (code: Code) => {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return (code: Code) => {
        if (context.parser.lazy[context.now().line]) return nok(code)
        if (code === PIPE) {
          next = 'line'
          return ok(code)
        }
        if (!markdownSpace(code)) return nok(code)
        next = 'continuation'
        effects.enter('lineSuffix')
        return blankCheck(code)
      }
      function blankCheck(code: Code): State | undefined {
        if (markdownSpace(code)) {
          effects.consume(code)
          return blankCheck
        }
        effects.exit('lineSuffix')
        return code === null || markdownLineEnding(code) ? nok(code) : ok(code)
      }
    }
  }

  /** The block's first line followed by a table's delimiter row is a pipe table. */
  function tokenizeNotTable(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const context = this
    let text = ''
    return first
    function first(code: Code): State | undefined {
      if (code === null) return ok(code)
      if (markdownLineEnding(code)) {
        effects.enter('lineEnding')
        effects.consume(code)
        effects.exit('lineEnding')
        return (code: Code) => (context.parser.lazy[context.now().line] ? ok(code) : second(code))
      }
      effects.enter('lineSuffix')
      effects.consume(code)
      effects.exit('lineSuffix')
      return first
    }
    function second(code: Code): State | undefined {
      if (code === null || markdownLineEnding(code)) return DELIMITER_ROW.test(text.trim()) ? nok(code) : ok(code)
      text += String.fromCharCode(code < 0 ? 32 : code)
      effects.enter('lineSuffix')
      effects.consume(code)
      effects.exit('lineSuffix')
      return second
    }
  }
}
