/**
 * Raw LaTeX in pandoc Markdown: what has an obvious HTML meaning gets it, the rest is dropped
 * and reported. Math (`$...$`) is left to Marp's math support.
 */

export interface TexReplacement {
  text: string
  /** Commands that were dropped, with their offset in the input. */
  dropped: Array<{ command: string; offset: number }>
  /** `\pause` found. */
  pauses: number
}

const COMMAND = /\\([a-zA-Z]+)\*?((?:\[[^\]\n]*\])*)((?:\{[^{}\n]*\})*)/g
const MATH = /\$\$[\s\S]*?\$\$|\$[^$\n]+\$/g

/** Text-producing commands. */
const TEXT: Record<string, string | ((args: string[]) => string)> = {
  LaTeX: 'LaTeX',
  TeX: 'TeX',
  today: () => new Date().toISOString().slice(0, 10),
  newline: '\n',
  linebreak: '\n',
  ldots: '…',
  dots: '…',
  textbf: (args) => args[0] ?? '',
  textit: (args) => args[0] ?? '',
  emph: (args) => args[0] ?? '',
  texttt: (args) => args[0] ?? '',
  url: (args) => args[0] ?? '',
  href: (args) => args[1] ?? args[0] ?? '',
  quad: '\u2003',
  qquad: '\u2003\u2003',
}

/** Layout commands whose effect (spacing, alignment) is carried by the theme: dropped quietly. */
const LAYOUT = new Set(['bigskip', 'medskip', 'smallskip', 'vfill', 'hfill', 'vspace', 'hspace', 'centering', 'raggedright', 'noindent', 'par'])

export function replaceTexCommands(input: string): TexReplacement {
  const dropped: TexReplacement['dropped'] = []
  let pauses = 0
  const math: Array<[number, number]> = []
  for (const match of input.matchAll(MATH)) math.push([match.index, match.index + match[0].length])
  const inMath = (offset: number) => math.some(([from, to]) => offset >= from && offset < to)

  const text = input.replace(COMMAND, (whole, name: string, _options: string, braces: string, offset: number) => {
    if (inMath(offset)) return whole
    const args = [...braces.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '')
    const known = TEXT[name]
    if (known !== undefined) return typeof known === 'function' ? known(args) : known
    if (name === 'pause') {
      pauses++
      return ''
    }
    if (!LAYOUT.has(name)) dropped.push({ command: `\\${name}${braces}`, offset })
    return ''
  })
  return { text, dropped, pauses }
}
