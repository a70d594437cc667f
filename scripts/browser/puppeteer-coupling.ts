/**
 * What the build's browser takes from puppeteer-core beyond its documented API, in one place
 * (test/contracts.test.ts checks each assumption and names it when an upgrade breaks it):
 *
 * - `puppeteer-core/internal/node/PipeTransport.js`: the build spawns Chromium itself (its own
 *   process group and profile, so that Ctrl-C can remove both synchronously, browser/browser.ts)
 *   and connects over the DevTools pipe with puppeteer's own transport, which is exported under
 *   `./internal/*` but is not API. `puppeteer.launch({ pipe: true })` would own the process.
 * - The flags: `puppeteer.defaultArgs()` (public), so that they follow puppeteer's upgrades.
 */
import type { Browser, ConnectionTransport } from 'puppeteer-core'

/**
 * The flags puppeteer starts a headless Chromium with, plus `extra`, for a profile of our own
 * (loads puppeteer, then answers at once).
 */
export async function chromiumFlags(): Promise<(userDataDir: string, extra: string[]) => string[]> {
  const { default: puppeteer } = await import('puppeteer-core')
  return (userDataDir, extra) => puppeteer.defaultArgs({ headless: true, userDataDir, args: extra })
}

/** Connects puppeteer to a Chromium started with `--remote-debugging-pipe` (fds 3 and 4). */
export async function connectOverPipe(pipeWrite: NodeJS.WritableStream, pipeRead: NodeJS.ReadableStream, protocolTimeout: number): Promise<Browser> {
  const [{ default: puppeteer }, { PipeTransport }] = await Promise.all([import('puppeteer-core'), import('puppeteer-core/internal/node/PipeTransport.js')])
  const transport: ConnectionTransport = new PipeTransport(pipeWrite, pipeRead)
  return puppeteer.connect({ transport, protocolTimeout })
}
