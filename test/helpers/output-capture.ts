/**
 * What a command run in this process prints, as its child process's stdout and stderr would hold
 * it: console.log/info/debug and process.stdout.write to stdout, console.error/warn and
 * process.stderr.write to stderr.
 *
 * The console and the two streams get a router once, when this module loads (before any test runs):
 * while a capture is on, what is written goes into it, else where it went before. Installed once and
 * never taken off (this is the test's process; the toolchain itself wraps no console).
 */
import { format } from 'node:util'

interface Captured {
  stdout: string
  stderr: string
}

let current: Captured | undefined

const CONSOLE = { log: 'stdout', info: 'stdout', debug: 'stdout', error: 'stderr', warn: 'stderr' } as const

for (const [method, stream] of Object.entries(CONSOLE) as Array<[keyof typeof CONSOLE, 'stdout' | 'stderr']>) {
  const original = console[method].bind(console)
  console[method] = (...parts: unknown[]) => {
    if (current) current[stream] += `${format(...parts)}\n`
    else original(...parts)
  }
}

for (const stream of ['stdout', 'stderr'] as const) {
  const target = process[stream]
  const original = target.write.bind(target) as (...args: unknown[]) => boolean
  target.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (!current) return original(chunk, ...rest)
    current[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    const done = rest.find((arg): arg is () => void => typeof arg === 'function')
    if (done) process.nextTick(done)
    return true
  }) as typeof target.write
}

/** Starts capturing; `stop()` ends it (what was captured stays readable with `text()`). */
export function captureOutput(): { text: () => Captured; stop: () => void } {
  if (current) throw new Error('captureOutput: a capture is on already')
  const captured: Captured = { stdout: '', stderr: '' }
  current = captured
  return {
    text: () => ({ ...captured }),
    stop: () => {
      if (current === captured) current = undefined
    },
  }
}
