/**
 * Coloured output for a slide: the SGR codes terminal.ts rebuilds (`ESC[0;1;38;5;9m`) become
 * `<span style="...">` with HTML colours (xterm's 256-colour palette, or the exact RGB); the text
 * is escaped. Only SGR codes are expected here: any other escape sequence is dropped.
 */
import { escapeHtml } from '../core/escape-html.ts'

/** xterm's default first 16 colours. */
const BASE16 = ['#000000', '#cd0000', '#00cd00', '#cdcd00', '#0000ee', '#cd00cd', '#00cdcd', '#e5e5e5', '#7f7f7f', '#ff0000', '#00ff00', '#ffff00', '#5c5cff', '#ff00ff', '#00ffff', '#ffffff']

export function paletteColour(index: number): string {
  if (index < 16) return BASE16[index] ?? '#000000'
  const hex = (value: number) => value.toString(16).padStart(2, '0')
  if (index < 232) {
    const cube = index - 16
    const level = (step: number) => (step === 0 ? 0 : 55 + step * 40)
    return `#${hex(level(Math.floor(cube / 36)))}${hex(level(Math.floor(cube / 6) % 6))}${hex(level(cube % 6))}`
  }
  const grey = 8 + (index - 232) * 10
  return `#${hex(grey)}${hex(grey)}${hex(grey)}`
}

export function ansiToHtml(text: string): string {
  let html = ''
  let open = false
  let at = 0
  for (const match of text.matchAll(/\x1b\[([0-9;]*)([A-Za-z])/g)) {
    html += escapeHtml(text.slice(at, match.index))
    at = match.index + match[0].length
    if (match[2] !== 'm') continue
    if (open) html += '</span>'
    const style = cssOf((match[1] ?? '').split(';').filter(Boolean).map(Number))
    open = style !== ''
    if (open) html += `<span style="${style}">`
  }
  html += escapeHtml(text.slice(at))
  return open ? `${html}</span>` : html
}

function cssOf(codes: number[]): string {
  const css: string[] = []
  let fg: string | undefined
  let bg: string | undefined
  let inverse = false
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? 0
    if (code === 0) {
      css.length = 0
      fg = bg = undefined
      inverse = false
    } else if (code === 1) css.push('font-weight:bold')
    else if (code === 2) css.push('opacity:0.7')
    else if (code === 3) css.push('font-style:italic')
    else if (code === 4) css.push('text-decoration:underline')
    else if (code === 7) inverse = true
    else if (code === 9) css.push('text-decoration:line-through')
    else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
      const colour = paletteColour(codes[i + 2] ?? 0)
      if (code === 38) fg = colour
      else bg = colour
      i += 2
    } else if ((code === 38 || code === 48) && codes[i + 1] === 2) {
      const colour = `rgb(${codes[i + 2] ?? 0},${codes[i + 3] ?? 0},${codes[i + 4] ?? 0})`
      if (code === 38) fg = colour
      else bg = colour
      i += 4
    }
  }
  if (inverse) [fg, bg] = [bg ?? 'var(--console-bg, #ffffff)', fg ?? 'var(--console-fg, #000000)']
  if (fg) css.push(`color:${fg}`)
  if (bg) css.push(`background-color:${bg}`)
  return css.join(';')
}
