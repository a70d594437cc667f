/**
 * micromark syntax extension for pandoc's raw TeX blocks (its `raw_tex`): a block that starts at
 * the margin with TeX commands and nothing else on its lines is raw TeX, not a paragraph:
 * `\bigskip`, `\pause` / `\bigskip` on two lines, `\note{...}` with braces over several lines,
 * `\begin{center}` ... `\end{center}`. As in pandoc:
 * - a command pandoc reads inline (`\textbf{x}`, `\LaTeX`, `\url{...}`) alone on a line stays a
 *   paragraph, and so does a line with text after its commands;
 * - arguments are `<overlay>`s and `[options]` before `{groups}` (balanced, over lines);
 * - the next line joins the block when it is commands too; a paragraph line does not join it
 *   (`\bigskip` then `text` is raw TeX and a paragraph), and the block does not interrupt one.
 */
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types'
import { asciiAlpha, markdownLineEnding, markdownSpace } from 'micromark-util-character'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    rawTexBlock: 'rawTexBlock'
    rawTexBlockValue: 'rawTexBlockValue'
    rawTexBlockLineEnding: 'rawTexBlockLineEnding'
  }
}

const BACKSLASH = 92

/** Commands pandoc's LaTeX reader reads as inline content (alone on a line they stay a paragraph). */
const INLINE_COMMANDS = new Set(
  (
    'emph textit textsl textsc textsf textmd textbf textup texttt textrm textnormal underline uline sout st ' +
    'textsubscript textsuperscript textbackslash backslash slash ldots dots mdots LaTeX TeX LaTeXe ' +
    'textquoteleft textquoteright textquotedblleft textquotedblright textasciicircum textasciitilde ' +
    'ensuremath label ref eqref autoref cref Cref pageref cite citep citet citeauthor citeyear nocite ' +
    'autocite parencite textcite footcite footnote footnotemark url href nolinkurl includegraphics ' +
    'enquote mbox hbox textcolor colorbox fbox alert noindent verb lstinline mintinline texorpdfstring ' +
    'hyperlink hypertarget hyperref thanks lettrine char textmu textdegree copyright textregistered ' +
    'guillemotleft guillemotright lq rq i j l o ss aa AA ae AE oe OE em bf it tt rm sf sc'
  ).split(' '),
)

export function rawTexBlock(): Extension {
  return { flow: { [BACKSLASH]: rawTexBlockConstruct } }
}

const rawTexBlockConstruct: Construct = { name: 'rawTexBlock', tokenize: tokenizeRawTexBlock, concrete: true }

function tokenizeRawTexBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const line: Construct = { tokenize: tokenizeLine, partial: true }
  const nextLine: Construct = { tokenize: tokenizeNextLine, partial: true }
  return start

  function start(code: Code): State | undefined {
    // Not inside a paragraph, and only at the margin (an indented command is paragraph text).
    const tail = self.events[self.events.length - 1]
    if (self.interrupt || (tail && tail[1].type === 'linePrefix' && tail[1].end.offset === self.now().offset)) return nok(code)
    effects.enter('rawTexBlock')
    return effects.attempt(line, afterLine, nok)(code)
  }

  function afterLine(code: Code): State | undefined {
    if (code === null) return done(code)
    // While it looks at the next line, the block is no paragraph that a container there would
    // interrupt (`\bigskip` then `::: columns` opens the div).
    self.currentConstruct = undefined
    return effects.attempt(nextLine, afterLine, done)(code)
  }

  function done(code: Code): State | undefined {
    effects.exit('rawTexBlock')
    return ok(code)
  }

  function tokenizeNextLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const context = this
    return (code: Code) => {
      effects.enter('rawTexBlockLineEnding')
      effects.consume(code)
      effects.exit('rawTexBlockLineEnding')
      return (next: Code) => (context.parser.lazy[context.now().line] ? nok(next) : effects.attempt(line, ok, nok)(next))
    }
  }
}

/** One line of commands (whose brace groups may run over more lines), up to its line ending. */
function tokenizeLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let name = ''
  let environment: string | undefined
  /** What closes the group being read: `}`, `]` or `>`, innermost last. */
  const closers: number[] = []
  let groups = 0
  let text = ''
  let bodyText = ''
  let inValue = false
  return commandStart

  /** Consumes a character of the block's text (the line endings are tokens of their own). */
  function take(code: Code): void {
    if (!inValue) effects.enter('rawTexBlockValue')
    inValue = true
    effects.consume(code)
  }

  function endValue(): void {
    if (inValue) effects.exit('rawTexBlockValue')
    inValue = false
  }

  function commandStart(code: Code): State | undefined {
    if (code !== BACKSLASH) return nok(code)
    take(code)
    name = ''
    groups = 0
    return commandName
  }

  function commandName(code: Code): State | undefined {
    if (asciiAlpha(code)) {
      name += String.fromCharCode(code as number)
      take(code)
      return commandName
    }
    // `\\end` outside its environment is text; inline commands stay in their paragraph.
    if (name === '' || name === 'end' || INLINE_COMMANDS.has(name)) return nok(code)
    if (code === 42 /* * */) {
      take(code)
      return args
    }
    return args(code)
  }

  function args(code: Code): State | undefined {
    const closer = code === 123 ? 125 : code === 91 && groups === 0 ? 93 : code === 60 && groups === 0 ? 62 : undefined
    if (closer === undefined) return afterCommand(code)
    if (closer === 125) groups++
    closers.push(closer)
    text = ''
    take(code)
    return group
  }

  function group(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (markdownLineEnding(code)) return lineEndingInside(code, group)
    const closer = closers[closers.length - 1]
    if (code === BACKSLASH) {
      take(code)
      return escaped
    }
    if (code === 123) closers.push(125)
    else if (code === closer) closers.pop()
    if (closers.length > 0) text += String.fromCharCode(code < 0 ? 32 : code)
    take(code)
    if (closers.length > 0) return group
    // `\begin{name}` runs to its `\end{name}`.
    if (name === 'begin' && environment === undefined) {
      environment = text
      return body
    }
    return args
  }

  function escaped(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return group(code)
    text += '\\' + String.fromCharCode(code < 0 ? 32 : code)
    take(code)
    return group
  }

  /** Inside an environment: everything up to `\end{name}`. */
  function body(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (markdownLineEnding(code)) return lineEndingInside(code, body)
    bodyText += String.fromCharCode(code < 0 ? 32 : code)
    take(code)
    if (bodyText.endsWith(`\\end{${environment}}`)) {
      environment = undefined
      bodyText = ''
      return afterCommand
    }
    return body
  }

  function lineEndingInside(code: Code, then: State): State | undefined {
    endValue()
    effects.enter('rawTexBlockLineEnding')
    effects.consume(code)
    effects.exit('rawTexBlockLineEnding')
    return (next: Code) => (self.parser.lazy[self.now().line] ? nok(next) : then(next))
  }

  function afterCommand(code: Code): State | undefined {
    if (markdownSpace(code)) {
      take(code)
      return afterCommand
    }
    if (code === BACKSLASH) return commandName0(code)
    if (code === null || markdownLineEnding(code)) {
      endValue()
      return ok(code)
    }
    return nok(code)
  }

  function commandName0(code: Code): State | undefined {
    take(code)
    name = ''
    groups = 0
    return commandName
  }
}
