/**
 * The presenter's layout for a phone (`?view=phone`): the deck's page with the slides hidden and,
 * instead, the slide's number and title, large previous and next buttons, buttons for the
 * presenter's keys (run, restore, black, white), the slide's notes and the presenter panel
 * (timers, pace, errors, runs). It runs in the page, serialised by client.ts: it uses nothing
 * from outside itself but what it is given.
 */
import type { BespokeDeck } from './marp-deck.ts'

export interface PhoneParts {
  deck: () => BespokeDeck | undefined
  /** Runs the output blocks of the current slide on stage. */
  run: () => void
  /** One of the presenter's keys (server.ts, POST /__dev/control). */
  control: (action: string) => void
  /** The presenter panel (client.ts). */
  panel: () => HTMLElement
  /** Marp's speaker notes, by slide index (MARP_SELECTORS.note). */
  note: string
}

/** Builds the layout; returns the function that shows the current slide's number, title and notes. */
export function phoneView(parts: PhoneParts): () => void {
  // Inside the function: it is all that travels into the page.
  const style = document.createElement('style')
  style.textContent = [
    'body.dev-phone{overflow:auto!important;background:#111}',
    'body.dev-phone > :not(#dev-phone){display:none!important}',
    '#dev-phone{font:18px/1.4 sans-serif;color:#eee;padding:10px;display:flex;flex-direction:column;gap:10px}',
    '#dev-phone #dev-presenter{max-height:none;padding:0;background:none}',
    '.dev-phone-moves{display:grid;grid-template-columns:1fr 2fr;gap:10px}',
    '.dev-phone-moves button{font-size:28px;min-height:30vh;border-radius:10px}',
    '.dev-phone-tools{display:grid;grid-template-columns:repeat(4,1fr);gap:6px}.dev-phone-tools button{font-size:16px;min-height:48px}',
    '#dev-phone-notes{font-size:20px;background:#222;padding:8px;border-radius:6px}',
  ].join('\n')
  document.head.append(style)
  document.body.classList.add('dev-phone')

  const button = (label: string, action: () => void, id?: string) => {
    const element = document.createElement('button')
    element.type = 'button'
    element.textContent = label
    if (id) element.id = id
    element.addEventListener('click', action)
    return element
  }
  const box = (id: string, className?: string) => {
    const element = document.createElement('div')
    if (id) element.id = id
    if (className) element.className = className
    return element
  }

  const phone = box('dev-phone')
  const slide = box('dev-phone-slide')
  const moves = box('', 'dev-phone-moves')
  moves.append(button('\u25C0 Previous', () => parts.deck()?.prev(), 'dev-phone-prev'), button('Next \u25B6', () => parts.deck()?.next(), 'dev-phone-next'))
  const tools = box('', 'dev-phone-tools')
  tools.append(
    button('Run (r)', parts.run),
    button('Restore (u)', () => parts.control('revert')),
    button('Black (b)', () => parts.control('black')),
    button('White (w)', () => parts.control('white')),
  )
  const notes = box('dev-phone-notes')
  phone.append(slide, moves, tools, notes, parts.panel())
  document.body.append(phone)

  return () => {
    const deck = parts.deck()
    const index = deck?.slide() ?? 0
    const title = deck?.slides[index]?.querySelector('h1, h2')?.textContent ?? ''
    slide.textContent = `${index + 1} / ${deck?.slides.length ?? '?'}  ${title}`
    // Marp's note elements are in every view's page (hidden outside the presenter view).
    notes.innerHTML = [...document.querySelectorAll(parts.note)].find((note) => note.getAttribute('data-index') === String(index))?.innerHTML ?? ''
  }
}
