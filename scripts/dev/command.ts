/**
 * `deck dev [--port N] [--host H] [--allow-overflow] [deck.md]`: starts the dev server, prints the
 * audience and presenter addresses, and runs until Ctrl-C (SIGINT) or SIGTERM, which stop the
 * server, every snippet it runs and the browser of the fit check.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { slidesDir } from '../paths.ts'

export const DEV_USAGE = `Usage: npm run dev [-- [options] [deck.md]]

Options:
  --port N          port to listen on (default: a free one)
  --host H          address to listen on (default 127.0.0.1; anything else is reachable from
                    other machines, and running snippets then needs the printed token)
  --allow-overflow  a slide that does not fit is a warning, not an error overlay
  -h, --help        this text`

export async function runDevCommand(args: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-overflow': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${DEV_USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    console.log(DEV_USAGE)
    return 0
  }
  const port = Number(values.port)
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
    console.error(`Expected --port to be a port number, not \`${values.port}\``)
    return 2
  }
  if (positionals.length > 1) {
    console.error(`The dev server presents one deck, not ${positionals.length}\n\n${DEV_USAGE}`)
    return 2
  }
  const decks = positionals.length === 1 ? [path.resolve(positionals[0]!)] : existsSync(slidesDir) ? readdirSync(slidesDir).filter((name) => name.endsWith('.md')).sort().map((name) => path.join(slidesDir, name)) : []
  const deckPath = decks[0]
  if (!deckPath || !existsSync(deckPath)) {
    console.error(deckPath ? `Cannot find the deck \`${deckPath}\`` : 'No deck: slides/ has no *.md file and none was named')
    return 1
  }
  if (decks.length > 1) console.error(`Presenting ${path.relative(process.cwd(), deckPath)} (name another deck to present it)`)

  // Ctrl-C first stops every snippet process, synchronously: the browser library's own handler
  // (the fit check's Chromium) may end the process right after this one.
  const stopping = new AbortController()
  let stopped: () => void = () => undefined
  const onSignal = () => {
    stopping.abort()
    stopped()
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.prependListener(signal, onSignal)

  const { startDevServer } = await import('./server.ts')
  const server = await startDevServer({ deckPath, host: values.host, port, allowOverflow: values['allow-overflow'], signal: stopping.signal })
  if (server.token) {
    console.error(`Warning: listening on ${values.host}, reachable from other machines. Running snippets on stage needs the token, which the presenter address carries.`)
  }
  console.error(`Presenting ${path.relative(process.cwd(), deckPath)}`)
  console.error(`  audience   ${server.url}`)
  console.error(`  presenter  ${server.presenterUrl}`)
  console.error('Keys: arrows/space move, p opens the presenter view, f full screen, r runs the output blocks of the slide. Ctrl-C stops.')

  return new Promise((resolve) => {
    stopped = () => {
      stopped = () => undefined
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          console.error(error instanceof Error ? error.message : String(error))
          resolve(1)
        },
      )
    }
    if (stopping.signal.aborted) stopped()
  })
}
