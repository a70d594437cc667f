/** The title page, from the front matter: title and subtitle in their box, authors, institute, date, graphic. */
import type { Element, ElementContent } from 'hast'
import { h } from 'hastscript'
import type { Deck } from '../slides/deck-model.ts'
import { replaceTexCommands } from '../slides/tex-commands.ts'

/** A front matter value as text: TeX commands mapped, `\ ` a no-break space, lines broken. */
function text(value: string | undefined): ElementContent[] {
  const lines = replaceTexCommands(value ?? '').text.replace(/\\ /g, '\u00a0').trim().split('\n')
  return lines.flatMap((line, index): ElementContent[] => (index === 0 ? [{ type: 'text', value: line }] : [h('br'), { type: 'text', value: line }]))
}

export function titlePage(deck: Deck): Element {
  const { settings } = deck
  const authors = settings.author.flatMap((author, index): ElementContent[] => (index === 0 ? text(author) : [{ type: 'text', value: ' \u2003 ' }, ...text(author)]))
  return h('div.titlepage', [
    h('div.titlebox', [h('p.title', text(settings.title)), settings.subtitle ? h('p.subtitle', text(settings.subtitle)) : undefined]),
    settings.author.length > 0 ? h('p.author', authors) : undefined,
    settings.institute ? h('p.institute', text(settings.institute)) : undefined,
    settings.date ? h('p.date', text(settings.date)) : undefined,
    settings.titlegraphic ? h('p.titlegraphic', h('img', { src: settings.titlegraphic, alt: '' })) : undefined,
  ])
}
