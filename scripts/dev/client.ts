/**
 * The script the dev server puts into the deck's page. It runs in the browser:
 *
 * - keeps the page on the shared slide and step: a move here is posted to the server, a move
 *   elsewhere (another tab, another device, the presenter view) arrives over the event stream;
 * - swaps the changed slides in place when a new build is there (they come with the event), else
 *   reloads (the server then puts the page back on the same slide and step), and shows build errors as an overlay over the last good deck;
 * - adds a run control to each output block (button, or `r` for the blocks of the current slide)
 *   and shows the output streamed from the server as the snippet prints it.
 *
 * Marp's bespoke script keeps its deck object to itself, and marp-cli documents no script API for
 * it (its own channels, the sync plugin's localStorage key and the presenter view's `navigate:`
 * messages to its preview frames, are internal too). Its sync plugin is the one place that marks
 * the object (`Object.defineProperty(deck, 'syncKey', ...)`), so the client watches for that
 * definition to get hold of the deck and then uses the same calls the sync plugin uses
 * (`deck.slide(index, { fragment })`, the `fragment` event). Without it (another marp-cli), pages
 * still follow builds and errors, but not each other's moves.
 */

export interface ClientOptions {
  /** The build the page shows: a page whose version differs from the server's reloads. */
  version: number
}

/** The page's script: the client function with its options (and a shim for esbuild's `__name`). */
export function clientScript(options: ClientOptions): string {
  const json = JSON.stringify(options).replace(/</g, '\\u003c')
  return `(function(){var __name=function(f){return f};(${devClient.toString()})(${json})})();`
}

interface BespokeDeck {
  slide(index?: number, options?: { fragment?: number; forSync?: boolean }): number
  fragmentIndex: number
  slides: HTMLElement[]
  on(event: 'fragment', listener: (event: { index: number; fragmentIndex: number }) => void): void
}

type ServerMessage =
  | { type: 'hello'; version: number; position: { index: number; fragment: number } | null; error: string | null }
  | { type: 'reload'; version: number; base?: number; slides?: Array<{ index: number; html: string }> }
  | { type: 'navigate'; index: number; fragment: number; from: string }
  | { type: 'error'; message: string | null }
  | { type: 'run'; block: string; state: 'running' | 'done' | 'failed'; text: string; html?: string; note?: string }

/** Runs in the page: everything it uses is inside it. */
function devClient(options: ClientOptions): void {
  const params = new URLSearchParams(location.search)
  const view = params.get('view')
  // The presenter view's previews (next slide, overview) are pages of their own: they only follow
  // new builds; moves reach them through Marp's own sync with the presenter view.
  const preview = view === 'next' || view === 'overview'
  let version = options.version
  const token = params.get('token') ?? ''
  const clientId = Math.random().toString(36).slice(2)
  let deck: BespokeDeck | undefined
  let applying = false
  // Until the server said where the deck is, this page's own moves (its first slide) are not news.
  let joined = false
  let errorText: string | null = null

  const objectWithDefine = Object as { defineProperty: (target: object, key: PropertyKey, descriptor: PropertyDescriptor) => object }
  const define = objectWithDefine.defineProperty
  objectWithDefine.defineProperty = (target, key, descriptor) => {
    const result = define(target, key, descriptor)
    if (key === 'syncKey' && !deck && typeof (target as Partial<BespokeDeck>).slide === 'function') {
      deck = target as BespokeDeck
      objectWithDefine.defineProperty = define
      setTimeout(attach, 0)
    }
    return result
  }

  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-dev-token': token } : {}) }, body: JSON.stringify(body) })

  const navigate = (index: number, fragment: number) => {
    if (!deck || (deck.slide() === index && deck.fragmentIndex === fragment)) return
    applying = true
    try {
      deck.slide(index, { fragment, forSync: true })
    } finally {
      applying = false
    }
  }

  const showError = (message: string | null) => {
    errorText = message
    let box = document.getElementById('dev-error-overlay')
    if (message === null) return box?.remove()
    if (!box) {
      box = document.createElement('div')
      box.id = 'dev-error-overlay'
      document.body.append(box)
    }
    box.textContent = ''
    const title = document.createElement('strong')
    title.textContent = 'The deck did not build: showing the last good version'
    const text = document.createElement('pre')
    text.textContent = message
    box.append(title, text)
  }

  const showRun = (block: string, state: string, text: string, note?: string, html?: string) => {
    for (const pre of document.querySelectorAll<HTMLElement>(`pre[data-dev-run="${CSS.escape(block)}"]`)) {
      const code = pre.querySelector('code')
      // A failure's reason (timeout, no interpreter, refused) shows under what was printed. The
      // HTML of a coloured block comes from the server's ansiToHtml: escaped text and spans.
      if (code && html !== undefined) {
        code.innerHTML = html
        if (state === 'failed' && note) code.append(`${html ? '\n' : ''}${note}`)
      } else if (code) code.textContent = state === 'failed' && note ? `${text ? `${text}\n` : ''}${note}` : text
      pre.dataset.devRunState = state
      if (note) pre.title = note
      else pre.removeAttribute('title')
    }
  }

  const run = (block: string) => {
    post('/__dev/run', { block })
      .then(async (response) => {
        if (!response.ok) showRun(block, 'failed', `run refused: ${await response.text()}`)
      })
      .catch(() => undefined)
  }

  const SECTIONS = 'svg[data-marpit-svg] > foreignObject > section'

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
    for (const pre of root.querySelectorAll<HTMLElement>('pre[data-dev-run]')) {
      const button = document.createElement('button')
      button.className = 'dev-run'
      button.type = 'button'
      button.textContent = '\u25B6'
      button.title = 'Run on stage (r runs the blocks of this slide)'
      button.addEventListener('click', (event) => {
        event.stopPropagation()
        run(pre.dataset.devRun ?? '')
      })
      pre.append(button)
    }
  }

  const addRunControls = () => {
    const style = document.createElement('style')
    style.textContent = [
      'pre[data-dev-run]{position:relative}',
      'pre[data-dev-run] > button.dev-run{position:absolute;top:2px;right:2px;font:12px sans-serif;padding:0 4px;opacity:.35;cursor:pointer}',
      'pre[data-dev-run] > button.dev-run:hover{opacity:1}',
      'pre[data-dev-run][data-dev-run-state=running]{outline:2px dashed #c80}',
      'pre[data-dev-run][data-dev-run-state=failed]{outline:2px solid #c00}',
      '#dev-error-overlay{position:fixed;left:2vw;right:2vw;top:2vh;max-height:80vh;overflow:auto;z-index:2147483647;background:rgba(40,0,0,.92);color:#fff;border:2px solid #f55;border-radius:6px;padding:12px 16px;font:14px/1.4 sans-serif}',
      '#dev-error-overlay pre{white-space:pre-wrap;font:13px/1.4 monospace;margin:8px 0 0}',
    ].join('\n')
    document.head.append(style)
    if (preview) return
    addRunButtons(document)
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'r' || event.altKey || event.ctrlKey || event.metaKey || !deck) return
      const slide = deck.slides[deck.slide()]
      for (const pre of slide?.querySelectorAll<HTMLElement>('pre[data-dev-run]') ?? []) run(pre.dataset.devRun ?? '')
    })
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
      } else if (preview) {
        // previews follow builds only
      } else if (message.type === 'hello') {
        if (message.version !== version) return location.reload()
        if (message.position) navigate(message.position.index, message.position.fragment)
        else if (deck) void post('/__dev/navigate', { index: deck.slide(), fragment: deck.fragmentIndex, from: clientId })
        joined = true
        if (message.error !== errorText) showError(message.error)
      } else if (message.type === 'navigate') {
        if (message.from !== clientId) navigate(message.index, message.fragment)
      } else if (message.type === 'error') {
        showError(message.message)
      } else if (message.type === 'run') {
        showRun(message.block, message.state, message.text, message.note, message.html)
      }
    }
  }

  function attach(): void {
    deck?.on('fragment', ({ index, fragmentIndex }) => {
      if (joined && !applying) void post('/__dev/navigate', { index, fragment: fragmentIndex, from: clientId })
    })
    connect()
  }

  document.addEventListener('DOMContentLoaded', addRunControls)
  // Previews, and pages without Marp's deck (the page shown before the first good build), still
  // follow builds and show errors.
  window.addEventListener('load', () => setTimeout(connect, preview ? 0 : 100))
}
