/**
 * What a terminal screen shows for a snippet's bytes: a headless terminal emulator (xterm.js)
 * applies carriage returns, erase-line, backspace and cursor moves, and what is left on its
 * screen (scrollback included) is the output. Colours survive only when asked for, as SGR codes
 * rebuilt from the screen's cells (one self-contained run per line, see ansi-html.ts); otherwise
 * every escape sequence is gone. No raw control character comes out either way.
 */
import type { IBufferCell, IBufferLine } from '@xterm/headless'

/** The terminal's width, as COLUMNS tells the snippet. */
export const TERMINAL_COLUMNS = 80
const ROWS = 24

/** Anything a terminal would interpret rather than print (tab and newline print as they are). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/

export async function renderTerminal(raw: string, options: { color?: boolean } = {}): Promise<string> {
  // Plain text shows as it is: no emulator needed (and tabs stay tabs).
  if (!CONTROL.test(raw)) return raw
  // Loaded only for output that needs it (most builds reuse stored outputs and never do).
  const { default: xterm } = await import('@xterm/headless')
  const newlines = raw.split('\n').length
  const terminal = new xterm.Terminal({
    cols: TERMINAL_COLUMNS,
    rows: ROWS,
    scrollback: newlines + ROWS,
    // A tty turns `\n` into `\r\n` (onlcr).
    convertEol: true,
    allowProposedApi: true,
  })
  try {
    await new Promise<void>((resolve) => terminal.write(raw, resolve))
    const buffer = terminal.buffer.active
    const cursorRow = buffer.baseY + buffer.cursorY
    let last = buffer.length - 1
    while (last >= 0 && isBlank(buffer.getLine(last))) last--
    // Empty lines the cursor went past are part of the output; the row it sits on is when it is
    // not at its start (a last line without a newline).
    const endsWithNewline = cursorRow > last && buffer.cursorX === 0
    if (cursorRow > last) last = endsWithNewline ? cursorRow - 1 : cursorRow
    const lines: string[] = []
    for (let row = 0; row <= last; row++) {
      const line = buffer.getLine(row)
      if (!line) continue
      const wrapsOn = buffer.getLine(row + 1)?.isWrapped === true && row + 1 <= last
      const text = options.color ? styledText(line, !wrapsOn) : line.translateToString(!wrapsOn)
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text
      else lines.push(text)
    }
    return lines.join('\n') + (endsWithNewline ? '\n' : '')
  } finally {
    terminal.dispose()
  }
}

function isBlank(line: IBufferLine | undefined): boolean {
  return !line || line.translateToString(true) === ''
}

/** A row as text with SGR codes where its cells' colours and styles change. */
function styledText(line: IBufferLine, trimRight: boolean): string {
  let end = line.length
  if (trimRight) {
    const plain = line.translateToString(true)
    end = 0
    // Find the cell where the trimmed text ends (wide characters take two cells).
    for (let x = 0, chars = 0; x < line.length && chars < plain.length; x++) {
      const cell = line.getCell(x)
      if (!cell || cell.getWidth() === 0) continue
      chars += cell.getChars().length || 1
      end = x + 1
    }
  }
  let text = ''
  let current = ''
  for (let x = 0; x < end; x++) {
    const cell = line.getCell(x)
    if (!cell || cell.getWidth() === 0) continue
    const style = sgrOf(cell)
    if (style !== current) {
      text += `\x1b[0${style}m`
      current = style
    }
    text += cell.getChars() || ' '
  }
  return current ? `${text}\x1b[0m` : text
}

function sgrOf(cell: IBufferCell): string {
  let codes = ''
  if (cell.isBold()) codes += ';1'
  if (cell.isDim()) codes += ';2'
  if (cell.isItalic()) codes += ';3'
  if (cell.isUnderline()) codes += ';4'
  if (cell.isInverse()) codes += ';7'
  if (cell.isStrikethrough()) codes += ';9'
  codes += colour(cell.isFgPalette(), cell.isFgRGB(), cell.getFgColor(), 38)
  codes += colour(cell.isBgPalette(), cell.isBgRGB(), cell.getBgColor(), 48)
  return codes
}

function colour(palette: boolean, rgb: boolean, value: number, base: 38 | 48): string {
  if (palette) return `;${base};5;${value}`
  if (rgb) return `;${base};2;${(value >> 16) & 255};${(value >> 8) & 255};${value & 255}`
  return ''
}
