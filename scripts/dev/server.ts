/**
 * `npm run dev`: serves one deck while it is edited and presented. Routes, and nothing else:
 *
 *   GET  /                the deck (Marp's page; `?view=presenter` is its presenter view)
 *   GET  /__dev/events    the event stream: new builds, errors, moves, run-on-stage output
 *   POST /__dev/navigate  a page moved to another slide or step: every other page follows
 *   POST /__dev/run       run an output block's snippet on stage (only blocks the deck has)
 *   POST /__dev/control   the presenter's keys: `revert` (the stored outputs back on every page),
 *                         `black` / `white` (the audience screen, again to show the slides),
 *                         `restart-timer`
 *
 * The server listens before the first build: a busy port fails at once (PortInUse), and pages
 * opened meanwhile wait for the deck.
 * The deck's images and fonts are inside the page, so no file is served from disk: `..` in any
 * encoding, absolute paths and every other path get 404. On loopback (the default) the Host
 * header must name this server (no DNS rebinding); listening beyond loopback, every POST takes
 * only requests with the token printed at start (the presenter's and the phone's addresses carry
 * it): audience pages then follow, they cannot move the slides.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { findSnippetsDir } from '../core/paths.ts'
import { loadDeckConfig } from '../build/deck-config.ts'
import { DEFAULT_RUNNERS } from '../snippets/runners.ts'
import { projectRoot } from '../core/paths.ts'
import { findThemeDir } from '../render/theme.ts'
import { clientScript, type Screen, type Timer } from './client.ts'
import { DevSession, type SessionEvent } from './session.ts'
import { RunStates } from './run-states.ts'
import { StageRunner, type StageUpdate } from './stage-run.ts'
import { watchDeck, type DeckWatcher } from './watcher.ts'
import { escapeTerminal } from '../core/report.ts'

export interface DevServerOptions {
  deckPath: string
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0: a free port. */
  port?: number
  allowOverflow?: boolean
  /** Build errors on the audience page too (else the deck's `show-errors`; default: presenter only). */
  showErrors?: boolean
  /** The talk's length in seconds (else the deck's `talk-length`): the presenter's countdown. */
  talkLength?: number
  log?: (text: string) => void
  /**
   * Aborting it stops every snippet process and the build at once, synchronously (a signal
   * handler's first step: another handler, such as the browser's, may end the process next).
   */
  signal?: AbortSignal
}

export interface DevServer {
  address: AddressInfo
  url: string
  presenterUrl: string
  /** The presenter's layout for a phone. */
  phoneUrl: string
  /** Set when listening beyond loopback: the run endpoint needs it. */
  token: string | undefined
  /** Resolves once no build and no fit check is running or queued (for measuring). */
  idle(): Promise<void>
  /** Stops the server, the watcher, every snippet run and the build; resolves when all is over. */
  close(): Promise<void>
}

type Message = SessionEvent | StageUpdate | { type: 'navigate'; index: number; fragment: number; from: string } | { type: 'revert' } | { type: 'screen'; screen: Screen } | { type: 'timer'; timer: Timer }

/** The port asked for is taken: said in one line by the command. */
export class PortInUse extends Error {
  override name = 'PortInUse'
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`Port ${port} on ${host} is in use (another \`npm run dev\`?): stop what listens there or choose another port with --port N (--port 0: any free port)`)
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])
const MAX_BODY = 4096

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const deckPath = path.resolve(options.deckPath)
  const deckDir = path.dirname(deckPath)
  const snippetsDir = findSnippetsDir(deckDir)
  const themeDir = findThemeDir(deckDir)
  const host = options.host ?? '127.0.0.1'
  const log = options.log ?? ((text: string) => console.error(escapeTerminal(text)))
  const token = LOOPBACK.has(host) ? undefined : randomBytes(16).toString('hex')

  const clients = new Set<ServerResponse>()
  const runStates = new RunStates()
  const send = (message: Message) => {
    if (message.type === 'run') runStates.record(message)
    else if (message.type === 'revert') runStates.clear()
    else if (message.type === 'reload') runStates.rebuilt(session.page?.blocks ?? [], message.slides?.map((slide) => slide.index))
    const data = `data: ${JSON.stringify(message)}\n\n`
    for (const client of clients) client.write(data)
  }
  let position: { index: number; fragment: number } | null = null
  let screen: Screen = null
  /** When the talk started (the first move after the server started or the timer was restarted). */
  let started: number | null = null
  const timer = (): Timer => ({ started, now: Date.now() })

  const session = new DevSession({
    deckPath,
    themeDir,
    scratch: mkdtempSync(path.join(os.tmpdir(), 'deck-dev-')),
    allowOverflow: options.allowOverflow ?? false,
    client: { showErrors: options.showErrors, talkLength: options.talkLength },
    log,
    emit: send,
  })
  // A configuration with an error keeps the last good runners: the build reports the error.
  let runners = DEFAULT_RUNNERS
  const currentRunners = () => {
    try {
      runners = loadDeckConfig(deckDir).runners
    } catch {
      // reported by the build
    }
    return runners
  }
  // A run's end goes to the terminal too (the presenter view shows it; the audience does not).
  const stage = new StageRunner(snippetsDir, projectRoot, (update) => {
    send(update)
    if (update.state === 'running') return
    const said = update.note ?? `snippets/${update.snippet} ${update.state}`
    log(`on stage: ${said}${update.differs !== undefined ? `; differs from the stored output (u in the presenter view puts it back):\n${update.differs}` : ''}`)
  }, currentRunners)
  const abort = () => {
    void stage.stopAll()
    session.abort()
  }
  if (options.signal?.aborted) abort()
  else options.signal?.addEventListener('abort', abort)

  let port = 0
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, 'Internal error')
      log(`dev server: ${error instanceof Error ? error.message : String(error)}`)
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const [rawPath = '/'] = (request.url ?? '/').split('?', 2)
    if (!safePath(rawPath)) return reply(response, 404, 'Not found')
    if (!token && !hostAllowed(request.headers.host, port)) return reply(response, 403, 'Forbidden: unknown Host')
    const route = `${request.method ?? 'GET'} ${rawPath}`
    switch (route) {
      case 'GET /':
      case 'HEAD /': {
        const html = session.page?.html ?? waitingPage()
        response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) })
        return void response.end(request.method === 'HEAD' ? undefined : html)
      }
      case 'GET /__dev/events': {
        response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' })
        response.write(`data: ${JSON.stringify({ type: 'hello', version: session.version, position, error: session.error, screen, timer: timer() })}\n\n`)
        for (const update of runStates.updates()) response.write(`data: ${JSON.stringify(update)}\n\n`)
        clients.add(response)
        request.on('close', () => clients.delete(response))
        return
      }
      case 'POST /__dev/navigate': {
        if (!sameOrigin(request)) return reply(response, 403, 'Forbidden: another origin')
        if (token && !tokenMatches(request.headers['x-dev-token'], token)) return reply(response, 403, 'Forbidden: moving the slides needs the token printed at start')
        const body = await readJson(request)
        const index = body?.index
        const fragment = body?.fragment
        if (!Number.isInteger(index) || !Number.isInteger(fragment) || typeof body?.from !== 'string') return reply(response, 400, 'Expected {index, fragment, from}')
        const next = { index: index as number, fragment: fragment as number }
        if (position?.index !== next.index || position.fragment !== next.fragment) {
          // The first move of the talk (not a page telling where it opened) starts the timer.
          if (position && started === null) {
            started = Date.now()
            send({ type: 'timer', timer: timer() })
          }
          position = next
          send({ type: 'navigate', ...next, from: body.from })
        }
        return reply(response, 204)
      }
      case 'POST /__dev/run': {
        if (!sameOrigin(request)) return reply(response, 403, 'Forbidden: another origin')
        if (token && !tokenMatches(request.headers['x-dev-token'], token)) return reply(response, 403, 'Forbidden: the run endpoint needs the token printed at start')
        if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) return reply(response, 415, 'Expected JSON')
        const body = await readJson(request)
        const blocks = session.page?.blocks ?? []
        const block =
          typeof body?.block === 'string' ? blocks.find((candidate) => candidate.id === body.block) : typeof body?.snippet === 'string' ? blocks.find((candidate) => candidate.request.snippet === body.snippet) : undefined
        if (!block) return reply(response, 404, 'Not an output block of this deck')
        stage.run(block)
        return reply(response, 202, 'Started')
      }
      case 'POST /__dev/control': {
        if (!sameOrigin(request)) return reply(response, 403, 'Forbidden: another origin')
        if (token && !tokenMatches(request.headers['x-dev-token'], token)) return reply(response, 403, "Forbidden: the presenter's keys need the token printed at start")
        if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) return reply(response, 415, 'Expected JSON')
        const action = (await readJson(request))?.action
        if (action === 'revert') {
          await stage.stopAll()
          send({ type: 'revert' })
        } else if (action === 'black' || action === 'white') {
          // The same key again shows the slides (as in PowerPoint and reveal.js).
          screen = screen === action ? null : action
          send({ type: 'screen', screen })
        } else if (action === 'restart-timer') {
          started = null
          send({ type: 'timer', timer: timer() })
        } else return reply(response, 400, 'Expected {action: revert | black | white | restart-timer}')
        return reply(response, 204)
      }
      default:
        return reply(response, 404, 'Not found')
    }
  }

  // Listening first: a busy port is an error before any build.
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUse(host, options.port ?? 0) : error))
      server.listen(options.port ?? 0, host, () => resolve())
    })
  } catch (error) {
    session.abort()
    throw error
  }
  const address = server.address() as AddressInfo
  port = address.port
  const origin = `http://${displayHost(address)}:${address.port}`
  const url = `${origin}/`
  const presenterUrl = `${origin}/?view=presenter${token ? `&token=${token}` : ''}`
  const phoneUrl = `${origin}/?view=phone${token ? `&token=${token}` : ''}`

  await session.rebuild()
  let watcher: DeckWatcher | undefined
  watcher = await watchDeck([deckDir, snippetsDir, themeDir], () => {
    void session.rebuild().then(() => watcher?.add(session.inputs))
  }, undefined, (error) => log(`dev server: not watching a path: ${error.message}`))
  watcher.add(session.inputs)

  return {
    address,
    url,
    presenterUrl,
    phoneUrl,
    token,
    idle: () => session.idle(),
    async close() {
      await Promise.all([stage.stopAll(), session.close(), watcher.close()])
      for (const client of clients) client.end()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

/** The host to print: for "every interface" (0.0.0.0, ::), an address other machines can use. */
function displayHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)
    return external?.address ?? '127.0.0.1'
  }
  return address.family === 'IPv6' ? `[${address.address}]` : address.address
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'SAMEORIGIN',
}

function reply(response: ServerResponse, status: number, text = ''): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
  response.end(text)
}

/** `..` segments in any encoding, backslashes, NUL and `//` (an absolute path after the host) never match. */
export function safePath(rawPath: string): boolean {
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return false
  }
  return rawPath.startsWith('/') && !decoded.startsWith('//') && !/[\\\0]/.test(decoded) && !decoded.split('/').includes('..')
}

function hostAllowed(header: string | undefined, port: number): boolean {
  return header !== undefined && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(header.toLowerCase())
}

function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin
  return origin === undefined || origin === `http://${request.headers.host}`
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false
  return timingSafeEqual(Buffer.from(given), Buffer.from(token))
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY) return undefined
    chunks.push(chunk)
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Served until the first good build: it shows the error and reloads when a deck is there. */
function waitingPage(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Waiting for the deck</title><script>${clientScript({ version: 0 })}</script></head><body><p style="font:16px sans-serif">Waiting for the first good build of the deck.</p></body></html>`
}
