/**
 * `deck dev [--port N] [--host ADDRESS] [--allow-overflow] [deck.md]`: starts the dev server,
 * prints the audience and presenter addresses, and runs until Ctrl-C (SIGINT), SIGTERM or SIGHUP,
 * when the command line's interrupt handling stops every snippet and the browser and exits.
 */
import path from 'node:path'
import { UsageError, type Parsed } from './cli-args.ts'
import { describeInterrupt, onInterrupt } from '../core/interrupt.ts'
import { escapeTerminal } from '../core/report.ts'

export async function runDevCommand(parsed: Parsed, decks: string[]): Promise<number> {
  const { values, positionals } = parsed
  const port = Number(values.port ?? '0')
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(`Expected --port to be a port number, not \`${String(values.port)}\``)
  if (positionals.length > 1) throw new UsageError(`The dev server presents one deck, not ${positionals.length}`)
  const deckPath = decks[0]!
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1'

  // On an interrupt, before the process exits: snippet runs and the build stop, scratch files go.
  const stopping = new AbortController()
  onInterrupt(() => stopping.abort())
  describeInterrupt('the dev server stopped')
  const { startDevServer } = await import('../dev/server.ts')
  const server = await startDevServer({ deckPath, host, port, allowOverflow: values['allow-overflow'] === true, signal: stopping.signal })
  console.error(escapeTerminal(startupText(deckPath, decks.length, { ...server, host })))
  // Runs until interrupted.
  return new Promise<number>(() => undefined)
}

/** What the command prints once the server is up: the deck, both addresses, the keys. */
export function startupText(deckPath: string, deckCount: number, server: { url: string; presenterUrl: string; token: string | undefined; host: string }): string {
  const lines: string[] = []
  if (server.token) lines.push(`Warning: listening on ${server.host}, reachable from other machines. Running snippets on stage needs the token, which the presenter address carries.`)
  const others = deckCount > 1 ? ` (one of ${deckCount} decks: name another to present it)` : ''
  lines.push(
    `Presenting ${path.relative(process.cwd(), deckPath)}${others}`,
    `  audience   ${server.url}`,
    `  presenter  ${server.presenterUrl}`,
    'Keys: arrows/space move, Home/End first/last slide, o overview, p presenter view, f full screen, r runs the output blocks of the slide. Ctrl-C stops.',
  )
  return lines.join('\n')
}
