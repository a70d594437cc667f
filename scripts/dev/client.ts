/**
 * The script the dev server puts into the deck's page. It runs in the browser, in one of four
 * roles, after the page's address:
 *
 * - the audience page (`/`): slides only. It follows the shared slide and step, new builds
 *   (changed slides swapped in place, else a reload on the same slide and step), live runs
 *   (their text, streamed into the slide), the restore of the stored outputs and the black or
 *   white screen. No error, no run control, no run status: those are the presenter's (errors
 *   show here only when the deck or the command asks for it, `show-errors`);
 * - the presenter view (`?view=presenter`, Marp's own): besides Marp's notes, next slide and
 *   clock, a panel with the build errors, the runs (state, and a diff when a run ended otherwise
 *   than the stored output), the elapsed time, the countdown from the talk's length and a pace
 *   hint; run controls on the output blocks; the keys r, u, b, w, t;
 * - the phone layout (`?view=phone`, phone.ts): large previous and next buttons, the notes, the
 *   timers and the same controls, for a phone reaching the server through `--host`;
 * - the presenter view's previews (`?view=next`, `?view=overview`): new builds only.
 *
 * Moves made here are posted to the server, moves made elsewhere arrive over the event stream;
 * the link to Marp's deck object is marp-deck.ts.
 */
import { catchMarpDeck, type BespokeDeck } from './marp-deck.ts'
import { phoneView } from './phone.ts'
import { MARP_SELECTORS, type MarpSelectors } from '../marp/marp-contract.ts'

export interface ClientOptions {
  /** The build the page shows: a page whose version differs from the server's reloads. */
  version: number
  /** Errors on the audience page too (a workshop). */
  showErrors?: boolean
  /** The talk's length in seconds: the presenter's countdown and pace hint. */
  talkLength?: number
}

/** The page's script: the client function with its options (and a shim for esbuild's `__name`). */
export function clientScript(options: ClientOptions): string {
  // Marp's markup travels as data: the function cannot import it (marp/marp-contract.ts).
  const json = JSON.stringify({ ...options, marp: MARP_SELECTORS }).replace(/</g, '\\u003c')
  return `(function(){var __name=function(f){return f};(${devClient.toString()})(${json},${catchMarpDeck.toString()},${phoneView.toString()})})();`
}

/** What the server sends (server.ts). */
export type ServerMessage =
  | { type: 'hello'; version: number; position: { index: number; fragment: number } | null; error: string | null; screen: Screen; timer: Timer }
  | { type: 'reload'; version: number; base?: number; slides?: Array<{ index: number; html: string }> }
  | { type: 'navigate'; index: number; fragment: number; from: string }
  | { type: 'error'; message: string | null }
  | { type: 'run'; block: string; snippet: string; state: 'running' | 'done' | 'failed'; text: string; html?: string; note?: string; differs?: string }
  | { type: 'revert' }
  | { type: 'screen'; screen: Screen }
  | { type: 'timer'; timer: Timer }

export type Screen = 'black' | 'white' | null
/** `started`: the server's clock when the talk started (its first move); `now`: the server's clock when sent. */
export interface Timer {
  started: number | null
  now: number
}

/** Runs in the page: everything it uses is inside it or passed in. */
function devClient(options: ClientOptions & { marp: MarpSelectors }, catchDeck: typeof catchMarpDeck, phoneLayout: typeof phoneView): void {
  const marp = options.marp
  const params = new URLSearchParams(location.search)
  const view = params.get('view')
  const role = view === 'presenter' ? 'presenter' : view === 'phone' ? 'phone' : view === 'next' || view === 'overview' ? 'preview' : 'audience'
  // The presenter's pages: errors, runs and their state, timers, controls.
  const speaker = role === 'presenter' || role === 'phone'
  let version = options.version
  const token = params.get('token') ?? ''
  const clientId = Math.random().toString(36).slice(2)
  let deck: BespokeDeck | undefined
  let applying = false
  // Until the server said where the deck is, this page's own moves (its first slide) are not news.
  let joined = false
  let errorText: string | null = null
  let linkProblem: string | null = null
  let timer: { started: number | null; offset: number } = { started: null, offset: 0 }
  let screen: Screen = null
  /** Per block id: the state of its last run, and the diff when it ended otherwise than stored. */
  const runs = new Map<string, { state: string; note?: string; differs?: string; snippet: string }>()
  /** The stored output of a block element, kept when a run first writes into it. */
  const stored = new WeakMap<HTMLElement, string>()
  /** Updates the phone layout (made on the first render of a phone page). */
  let phone: (() => void) | undefined

  catchDeck(
    (found) => {
      deck = found
      document.documentElement.dataset.devDeck = 'linked'
      attach()
    },
    (reason) => {
      // What test/dev-stage.test.ts reads: the reason when a Marp upgrade broke the link.
      document.documentElement.dataset.devDeck = reason
      linkProblem = `${reason}: this page does not follow the other pages' moves (see scripts/dev/marp-deck.ts)`
      render()
    },
    marp.deckRoot,
  )

  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-dev-token': token } : {}) }, body: JSON.stringify(body) })
  const control = (action: string) => void post('/__dev/control', { action }).catch(() => undefined)

  const navigate = (index: number, fragment: number) => {
    if (!deck || (deck.slide() === index && deck.fragmentIndex === fragment)) return
    applying = true
    try {
      deck.slide(index, { fragment, forSync: true })
    } finally {
      applying = false
    }
  }

  const element = (tag: string, attributes: Record<string, string> = {}, text?: string) => {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
    if (text !== undefined) node.textContent = text
    return node
  }

  // Marp shows a loaded page's first slide, and moves to the slide and step in its address (which
  // it keeps up to date) a task later: a frame of the title slide was painted at each reload, on
  // the projector too. The slides and Marp's controller stay hidden until then (the task after
  // Marp's, or the server's hello, or soon at the latest): a frame without content lets Chrome
  // keep showing the previous page.
  const placing = role === 'preview' ? undefined : element('style', {}, `${marp.slide},${marp.controller}{visibility:hidden!important}`)
  if (placing) document.head.append(placing)
  const placed = () => placing?.remove()
  document.addEventListener('DOMContentLoaded', () => setTimeout(placed, 0))
  setTimeout(placed, 1500)
  // The projector shows Marp's controller (page number, arrows) only once a pointer moves on it:
  // Marp shows it for two seconds after every load, a reload after an edit too.
  if (role === 'audience') {
    const still = element('style', {}, `${marp.controller}{display:none!important}`)
    document.head.append(still)
    const POINTER = ['mousemove', 'mousedown', 'touchend']
    const moved = (event: Event) => {
      // (Chrome sends a mousemove that did not move after a load or layout: not a pointer moved.)
      if (event instanceof MouseEvent && event.type === 'mousemove' && event.movementX === 0 && event.movementY === 0) return
      still.remove()
      for (const type of POINTER) document.removeEventListener(type, moved, true)
    }
    for (const type of POINTER) document.addEventListener(type, moved, true)
  }

  const BLOCKS = 'pre[data-output-block]'
  const blocksOf = (id: string) => document.querySelectorAll<HTMLElement>(`pre[data-output-block="${CSS.escape(id)}"]`)

  const showRun = (message: Extract<ServerMessage, { type: 'run' }>) => {
    const { block, state, text, note, html } = message
    for (const pre of blocksOf(block)) {
      const code = pre.querySelector('code')
      if (!code) continue
      if (!stored.has(pre)) {
        stored.set(pre, code.innerHTML)
        // The block keeps at least the stored output's height while the run writes into it: the
        // slide's content (centred) does not move up and down as lines arrive.
        // (The used height, as the block's box-sizing counts it.)
        pre.style.minHeight = getComputedStyle(pre).height
      }
      // Until a run prints its first line, the block shows the stored output (not an empty box
      // that moves the slide's content). The HTML of a coloured block comes from the server's
      // ansiToHtml: escaped text and spans.
      if (state === 'running' && text === '') code.innerHTML = stored.get(pre) ?? ''
      else if (html !== undefined) code.innerHTML = html
      else code.textContent = text
      // A failure's reason (timeout, no interpreter, refused) is the presenter's to see.
      if (speaker && state === 'failed' && note) code.append(`${text ? '\n' : ''}${note}`)
      if (speaker) pre.dataset.devRunState = message.differs !== undefined ? 'differs' : state
    }
    runs.set(block, { state, snippet: message.snippet, ...(note ? { note } : {}), ...(message.differs !== undefined ? { differs: message.differs } : {}) })
    render()
  }

  const revert = () => {
    for (const pre of document.querySelectorAll<HTMLElement>(BLOCKS)) {
      const html = stored.get(pre)
      const code = pre.querySelector('code')
      if (html !== undefined && code) code.innerHTML = html
      pre.style.minHeight = ''
      stored.delete(pre)
      delete pre.dataset.devRunState
    }
    runs.clear()
    render()
  }

  const run = (pre: HTMLElement) => {
    const block = pre.dataset.outputBlock ?? ''
    post('/__dev/run', { block })
      .then(async (response) => {
        if (!response.ok) showRun({ type: 'run', block, snippet: runs.get(block)?.snippet ?? block, state: 'failed', text: '', note: `run refused: ${await response.text()}` })
      })
      .catch(() => undefined)
  }

  const runCurrentSlide = () => {
    if (!deck) return
    const slide = deck.slides[deck.slide()]
    for (const pre of slide?.querySelectorAll<HTMLElement>(BLOCKS) ?? []) run(pre)
  }

  const SECTIONS = marp.section

  /** Puts the new markup of changed slides in place of the shown ones; anything odd reloads. */
  const swapSlides = (target: number, slides: Array<{ index: number; html: string }>) => {
    const shown = document.querySelectorAll(SECTIONS)
    const template = document.createElement('template')
    for (const { index, html } of slides) {
      // Parsed as the page's own parser parses a slide inside its SVG's foreignObject: as HTML.
      template.innerHTML = html
      const replacement = template.content.firstElementChild
      const old = shown[index]
      if (!replacement || !old || replacement.tagName !== 'SECTION') return location.reload()
      const node = document.importNode(replacement, true)
      old.replaceWith(node)
      addRunButtons(node)
    }
    version = target
  }

  const addRunButtons = (root: ParentNode) => {
    if (role !== 'presenter') return
    for (const pre of root.querySelectorAll<HTMLElement>(BLOCKS)) {
      const button = element('button', { class: 'dev-run', type: 'button', title: 'Run on stage (r runs the blocks of this slide, u restores the stored outputs)' }, '\u25B6')
      button.addEventListener('click', (event) => {
        event.stopPropagation()
        run(pre)
      })
      pre.append(button)
    }
  }

  // ---- what the page shows besides the slides

  const clock = (seconds: number) => {
    const whole = Math.round(Math.abs(seconds))
    const text = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
    return seconds < 0 ? `-${text}` : text
  }

  /** Elapsed, left and the pace hint, from the shared timer (server clock) and the slide. */
  const timing = () => {
    const elapsed = timer.started === null ? 0 : (Date.now() + timer.offset - timer.started) / 1000
    const length = options.talkLength
    const total = deck?.slides.length ?? 0
    const index = deck?.slide() ?? 0
    if (length === undefined) return { elapsed: clock(elapsed), left: '', pace: '' }
    const left = length - elapsed
    const slidesLeft = Math.max(total - index - 1, 0)
    // Where the talk should be on this slide at an even pace, against where it is.
    const planned = total > 1 ? (length * index) / (total - 1) : 0
    const behind = elapsed - planned
    const each = slidesLeft > 0 && left > 0 ? ` (${clock(left / slidesLeft)} each)` : ''
    const verdict = timer.started === null ? 'not started' : Math.abs(behind) < 30 ? 'on time' : behind > 0 ? `${clock(behind)} behind` : `${clock(-behind)} ahead`
    return { elapsed: clock(elapsed), left: clock(left), pace: `${slidesLeft} slide${slidesLeft === 1 ? '' : 's'} left${each}, ${verdict}` }
  }

  const panel = () => {
    let box = document.getElementById('dev-presenter')
    if (box) return box
    box = element('div', { id: 'dev-presenter' })
    const notes = document.querySelector(marp.presenterNotes)
    if (role === 'presenter' && notes) notes.prepend(box)
    else document.body.append(box)
    return box
  }

  const timersLine = () => {
    const { elapsed, left, pace } = timing()
    const line = element('div', { class: 'dev-timers' })
    line.append(element('span', { id: 'dev-elapsed', title: 'Elapsed since the first move (t restarts it)' }, elapsed))
    if (left) line.append(element('span', { id: 'dev-countdown', class: left.startsWith('-') ? 'over' : '', title: "Time left of the talk's length" }, left), element('span', { id: 'dev-pace' }, pace))
    if (screen) line.append(element('span', { id: 'dev-screen-state' }, `screen ${screen} (${screen === 'black' ? 'b' : 'w'} shows the slides again)`))
    return line
  }

  const render = () => {
    if (role === 'preview') return
    if (!speaker) {
      showOverlay(options.showErrors ? errorText : null)
      return
    }
    const box = panel()
    box.textContent = ''
    box.append(timersLine())
    if (linkProblem) box.append(element('div', { class: 'dev-warning' }, linkProblem))
    if (errorText) {
      const error = element('div', { id: 'dev-error' })
      error.append(element('strong', {}, 'The deck did not build: the audience sees the last good version'), element('pre', {}, errorText))
      box.append(error)
    }
    for (const [block, state] of runs) {
      const line = element('div', { class: `dev-run-status ${state.state}`, 'data-block': block })
      // A note names the snippet itself (`snippets/x.py ended with ...`): not twice.
      const said = state.state === 'running' ? 'running' : (state.note?.replace(`snippets/${state.snippet} `, '') ?? state.state)
      line.append(element('strong', {}, `${state.snippet}: `), document.createTextNode(said))
      if (state.differs !== undefined) {
        line.append(element('div', {}, 'Differs from the stored output (u puts the stored output back on every page):'), element('pre', { class: 'dev-diff' }, state.differs))
      }
      box.append(line)
    }
    if (role === 'phone') {
      phone ??= phoneLayout({ deck: () => deck, run: runCurrentSlide, control, panel, note: marp.note })
      phone()
    }
  }

  /** The audience page's error overlay (only with `show-errors`). */
  const showOverlay = (message: string | null) => {
    let box = document.getElementById('dev-error-overlay')
    if (message === null) return box?.remove()
    if (!box) {
      box = element('div', { id: 'dev-error-overlay' })
      document.body.append(box)
    }
    box.textContent = ''
    box.append(element('strong', {}, 'The deck did not build: showing the last good version'), element('pre', {}, message))
  }

  const showScreen = () => {
    if (role !== 'audience') return render()
    let cover = document.getElementById('dev-screen')
    if (!screen) return cover?.remove()
    if (!cover) {
      cover = element('div', { id: 'dev-screen' })
      document.body.append(cover)
    }
    cover.style.background = screen === 'black' ? '#000' : '#fff'
  }

  const STYLE = [
    // the presenter's
    `${marp.presenterView} pre[data-output-block]{position:relative}`,
    'pre[data-output-block] > button.dev-run{position:absolute;top:2px;right:2px;font:12px sans-serif;padding:0 4px;opacity:.5;cursor:pointer}',
    'pre[data-output-block] > button.dev-run:hover{opacity:1}',
    'pre[data-output-block][data-dev-run-state=running]{outline:2px dashed #c80}',
    'pre[data-output-block][data-dev-run-state=failed],pre[data-output-block][data-dev-run-state=differs]{outline:2px solid #c00}',
    // the panel above the notes, the notes below it (Marp places them over the whole container)
    `${marp.presenterView} ${marp.presenterNotes}{display:flex!important;flex-direction:column}`,
    `${marp.presenterView} ${marp.presenterNotes} ${marp.presenterNoteWrapper}{position:relative!important;inset:auto!important;flex:1;min-height:0}`,
    '#dev-presenter{font:14px/1.4 sans-serif;color:#eee;background:#222;padding:6px 10px;max-height:60%;overflow:auto;flex:none}',
    '#dev-presenter .dev-timers{display:flex;gap:1.2em;flex-wrap:wrap;font-size:18px}',
    '#dev-countdown{font-weight:bold;color:#8f8}#dev-countdown.over{color:#f66}#dev-screen-state{color:#fc6}',
    // Not wrapped: a traceback's caret stays under its column (long lines scroll).
    '#dev-presenter pre{white-space:pre;overflow-x:auto;font:12px/1.35 monospace;margin:4px 0;background:#111;padding:4px}',
    '#dev-error{border-left:4px solid #f55;padding-left:6px;margin-top:6px}',
    '.dev-run-status{margin-top:6px}.dev-run-status.failed,.dev-run-status:has(.dev-diff){border-left:4px solid #f55;padding-left:6px}',
    '.dev-warning{color:#fc6;margin-top:6px}',
    // the audience's, on request
    '#dev-error-overlay{position:fixed;left:2vw;right:2vw;top:2vh;max-height:80vh;overflow:auto;z-index:2147483647;background:rgba(40,0,0,.92);color:#fff;border:2px solid #f55;border-radius:6px;padding:12px 16px;font:14px/1.4 sans-serif}',
    '#dev-error-overlay pre{white-space:pre-wrap;font:13px/1.4 monospace;margin:8px 0 0}',
    '#dev-screen{position:fixed;inset:0;z-index:2147483647;cursor:none}',
  ].join('\n')

  const setUp = () => {
    if (role === 'preview') return
    document.head.append(element('style', {}, STYLE))
    addRunButtons(document)
    document.addEventListener('keydown', (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return
      // Black and white screen, as in PowerPoint and reveal.js (`.` is what clickers send).
      if (event.key === 'b' || event.key === '.') control('black')
      else if (event.key === 'w') control('white')
      else if (!speaker) return
      else if (event.key === 'r') runCurrentSlide()
      else if (event.key === 'u') control('revert')
      else if (event.key === 't') control('restart-timer')
    })
    if (speaker) {
      // The presenter view's own timer counts from its own first key and is reset by a click:
      // the shared one (elapsed since the talk's first move, t restarts it) takes its place.
      document.head.append(element('style', {}, `${marp.presenterTimer}{display:none!important}`))
      setInterval(() => {
        const line = document.querySelector('#dev-presenter .dev-timers')
        line?.replaceWith(timersLine())
      }, 500)
    }
    render()
  }

  let connected = false
  const connect = () => {
    if (connected) return
    connected = true
    const events = new EventSource('/__dev/events')
    events.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as ServerMessage
      if (message.type === 'reload') {
        if (message.version === version) return
        if (message.slides && message.base === version) swapSlides(message.version, message.slides)
        else location.reload()
      } else if (role === 'preview') {
        // previews follow builds only
      } else if (message.type === 'hello') {
        if (message.version !== version) return location.reload()
        if (message.position) navigate(message.position.index, message.position.fragment)
        else if (deck) void post('/__dev/navigate', { index: deck.slide(), fragment: deck.fragmentIndex, from: clientId })
        joined = true
        placed()
        // Moves made from here on reach the other pages (tests wait for it before pressing keys).
        document.documentElement.dataset.devJoined = 'true'
        errorText = message.error
        screen = message.screen
        setTimer(message.timer)
        showScreen()
        render()
      } else if (message.type === 'navigate') {
        if (message.from !== clientId) navigate(message.index, message.fragment)
        if (speaker) render()
      } else if (message.type === 'error') {
        errorText = message.message
        render()
      } else if (message.type === 'run') {
        showRun(message)
      } else if (message.type === 'revert') {
        revert()
      } else if (message.type === 'screen') {
        screen = message.screen
        showScreen()
      } else if (message.type === 'timer') {
        setTimer(message.timer)
        render()
      }
    }
  }

  const setTimer = (shared: Timer) => {
    timer = { started: shared.started, offset: shared.now - Date.now() }
  }

  function attach(): void {
    deck?.on('fragment', ({ index, fragmentIndex }) => {
      if (joined && !applying) void post('/__dev/navigate', { index, fragment: fragmentIndex, from: clientId })
      if (speaker) render()
    })
    connect()
  }

  document.addEventListener('DOMContentLoaded', setUp)
  // Previews, and pages without Marp's deck (the page shown before the first good build), still
  // follow builds and show errors.
  window.addEventListener('load', () => setTimeout(connect, role === 'preview' ? 0 : 100))
}
