/** The Marp front matter of a deck: theme, size, and the deck's lengths and fonts as CSS variables. */
import { ASPECT_RATIOS } from '../reader/settings.ts'
import type { Deck } from '../slides/deck-model.ts'

export function marpFrontMatter(deck: Deck): string {
  const { settings } = deck
  const size = ASPECT_RATIOS[settings.aspectratio] ?? ASPECT_RATIOS['169']!
  // beamer's sizes are physical (160 x 90 mm at 16:9, 128 x 96 mm at 4:3): px per mm from the paper.
  const mm = size.height / size.paperHeightMm
  const fonts = [
    settings.mainfont ? `--main-font: ${JSON.stringify(settings.mainfont)}, 'Fira Sans', 'Noto Sans Math', 'Noto Emoji', sans-serif;` : '',
    settings.monofont ? `--mono-font: ${JSON.stringify(settings.monofont)}, 'Fira Mono', 'Noto Sans Math', 'Noto Emoji', monospace;` : '',
    // pandoc colours internal links Maroon only when urlcolor (or linkcolor) is given; otherwise
    // hidelinks, and the headline and contents keep the theme's colours.
    settings.urlcolor ? `--url-color: ${settings.urlcolor}; --link: #800000;` : '',
  ].join(' ')
  // beamer's \textheight is the paper height less 7.2 mm (82.8 mm at 16:9).
  const textHeight = size.height - 7.2 * mm
  const style = `section { --mm: ${mm.toFixed(4)}px; --pt: ${(mm * 0.35146).toFixed(4)}px; --fs: ${settings.fontsize}; --text-height: ${textHeight.toFixed(1)}px; ${fonts}}`
  return ['---', 'marp: true', 'theme: frankfurt', `size: ${size.name}`, `lang: ${JSON.stringify(settings.lang)}`, `title: ${JSON.stringify(settings.title ?? '')}`, `style: ${JSON.stringify(style)}`, '---', ''].join('\n')
}
