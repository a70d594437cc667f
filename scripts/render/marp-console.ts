/**
 * marp-cli's API prints its progress and errors with the global `console` (its own `silence()` is
 * not exported). To keep that chatter out of the terminal without hiding anyone else's lines, the
 * console's four methods get, once, a router: a call made inside a render (its async context,
 * AsyncLocalStorage) goes to that render's log; any other call (the dev server's own messages
 * while a render runs) goes to the console as before. Renders may overlap; each has its own log.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const METHODS = ['log', 'info', 'warn', 'error'] as const
const renderLog = new AsyncLocalStorage<string[]>()
let routed = false

function routeConsole(): void {
  if (routed) return
  routed = true
  for (const method of METHODS) {
    const original = console[method].bind(console)
    console[method] = (...parts: unknown[]) => {
      const log = renderLog.getStore()
      if (log) log.push(parts.map(String).join(' '))
      else original(...parts)
    }
  }
}

/** Runs `render` with what it prints on the console collected in `log`, not printed. */
export function withMarpConsole<T>(log: string[], render: () => Promise<T>): Promise<T> {
  routeConsole()
  return renderLog.run(log, render)
}
