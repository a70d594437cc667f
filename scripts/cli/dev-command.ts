/**
 * `deck dev [--port N] [--host ADDRESS] [--allow-overflow] [--show-errors] [--talk-length T] [deck.md]`:
 * starts the dev server, prints the audience, presenter and phone addresses, and runs until
 * stopped. Its life follows the command: Ctrl-C (SIGINT), SIGTERM or SIGHUP (a closed terminal)
 * to it, or the end of the npm (or other parent) that started it, stops every snippet and the
 * browser and exits. A busy port is one line and exit 2, before any build.
 */
import path from 'node:path'
import { UsageError, type Parsed } from './cli-args.ts'
import { describeInterrupt, onInterrupt } from '../core/interrupt.ts'
import { escapeTerminal } from '../core/report.ts'
import { parseDuration } from '../reader/settings.ts'
import { stopWhenParentsEnd } from './parent-watch.ts'

export async function runDevCommand(parsed: Parsed, decks: string[]): Promise<number> {
  const { values, positionals } = parsed
  const port = Number(values.port ?? '0')
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(`Expected --port to be a port number, not \`${String(values.port)}\``)
  if (positionals.length > 1) throw new UsageError(`The dev server presents one deck, not ${positionals.length}`)
  let talkLength: number | undefined
  if (typeof values['talk-length'] === 'string') {
    talkLength = parseDuration(values['talk-length'])
    if (talkLength === undefined) throw new UsageError(`Expected --talk-length to be a length of time such as \`30min\`, \`1h15min\` or \`25:00\`, not \`${values['talk-length']}\``)
  }
  const deckPath = decks[0]!
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1'

  // On an interrupt, before the process exits: snippet runs and the build stop, scratch files go.
  const stopping = new AbortController()
  onInterrupt(() => stopping.abort())
  describeInterrupt('the dev server stopped')
  // npm stopped or killed: stop as on SIGHUP, saying why.
  stopWhenParentsEnd()
  const { startDevServer, PortInUse } = await import('../dev/server.ts')
  let server: Awaited<ReturnType<typeof startDevServer>>
  try {
    server = await startDevServer({
      deckPath,
      host,
      port,
      allowOverflow: values['allow-overflow'] === true,
      ...(values['show-errors'] === true ? { showErrors: true } : {}),
      ...(talkLength ? { talkLength } : {}),
      signal: stopping.signal,
    })
  } catch (error) {
    if (!(error instanceof PortInUse)) throw error
    console.error(`deck: ${error.message}`)
    return 2
  }
  console.error(escapeTerminal(startupText(deckPath, decks.length, { ...server, host })))
  // Runs until interrupted.
  return new Promise<number>(() => undefined)
}

/** Every key of the dev server's pages (README, "Presenting"). */
export const KEYS = [
  'Keys, on every page: arrows, Space, Page Up/Down move, Home/End first/last slide, o overview, f full screen, p presenter view,',
  '  b (or .) black screen, w white screen (the same key again shows the slides).',
  'In the presenter view and on the phone: r runs the output blocks of the slide on stage, u puts the stored outputs back on every page,',
  '  t restarts the elapsed time and the countdown, +/- notes size. Ctrl-C stops.',
]

/** What the command prints once the server is up: the deck, the addresses, the keys. */
export function startupText(deckPath: string, deckCount: number, server: { url: string; presenterUrl: string; phoneUrl?: string; token: string | undefined; host: string }): string {
  const lines: string[] = []
  if (server.token) lines.push(`Warning: listening on ${server.host}, reachable from other machines. Moving the slides and running snippets need the token, which the presenter and phone addresses carry.`)
  const others = deckCount > 1 ? ` (one of ${deckCount} decks: name another to present it)` : ''
  lines.push(`Presenting ${path.relative(process.cwd(), deckPath)}${others}`, `  audience   ${server.url}`, `  presenter  ${server.presenterUrl}`)
  if (server.phoneUrl) lines.push(`  phone      ${server.phoneUrl}`)
  lines.push(...KEYS)
  return lines.join('\n')
}
