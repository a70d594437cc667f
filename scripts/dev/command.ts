/**
 * `deck dev [--port N] [--host ADDRESS] [--allow-overflow] [deck.md]`: starts the dev server,
 * prints the audience and presenter addresses, and runs until Ctrl-C (SIGINT), SIGTERM or SIGHUP,
 * when the command line's interrupt handling stops every snippet and the browser and exits.
 */
import path from 'node:path'
import { UsageError, type Parsed } from '../cli-args.ts'
import { onInterrupt } from '../interrupt.ts'

export async function runDevCommand(parsed: Parsed, decks: string[]): Promise<number> {
  const { values, positionals } = parsed
  const port = Number(values.port ?? '0')
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(`Expected --port to be a port number, not \`${String(values.port)}\``)
  if (positionals.length > 1) throw new UsageError(`The dev server presents one deck, not ${positionals.length}`)
  const deckPath = decks[0]!
  if (decks.length > 1) console.error(`Presenting ${path.relative(process.cwd(), deckPath)} (name another deck to present it)`)
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1'

  // On an interrupt, before the process exits: snippet runs and the build stop, scratch files go.
  const stopping = new AbortController()
  onInterrupt(() => stopping.abort())
  const { startDevServer } = await import('./server.ts')
  const server = await startDevServer({ deckPath, host, port, allowOverflow: values['allow-overflow'] === true, signal: stopping.signal })
  if (server.token) console.error(`Warning: listening on ${host}, reachable from other machines. Running snippets on stage needs the token, which the presenter address carries.`)
  console.error(`Presenting ${path.relative(process.cwd(), deckPath)}`)
  console.error(`  audience   ${server.url}`)
  console.error(`  presenter  ${server.presenterUrl}`)
  console.error('Keys: arrows/space move, p opens the presenter view, f full screen, r runs the output blocks of the slide. Ctrl-C stops.')
  // Runs until interrupted.
  return new Promise<number>(() => undefined)
}
