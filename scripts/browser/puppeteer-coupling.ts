/**
 * What the build's browser takes from puppeteer-core beyond its documented API, in one place
 * (test/contracts.test.ts checks each assumption and names it when an upgrade breaks it):
 *
 * - `puppeteer-core/internal/node/PipeTransport.js`: the build spawns Chromium itself (its own
 *   process group and profile, so that Ctrl-C can remove both synchronously, browser/browser.ts)
 *   and connects over the DevTools pipe with puppeteer's own transport, which is exported under
 *   `./internal/*` but is not API. `puppeteer.launch({ pipe: true })` would own the process.
 * - `puppeteer-core/internal/common/Puppeteer.js`: the connection is made by the core `Puppeteer`
 *   class (public API: `puppeteer` is a `PuppeteerNode`, its subclass), constructed as puppeteer's
 *   own entry constructs it. Its module loads without the launchers (@puppeteer/browsers, proxy
 *   agents, yargs) that puppeteer's entry loads first: 20 ms instead of 60 ms from the toolchain's
 *   bundle, in the build's busiest moment (Marp renders while the browser starts).
 * - The flags: `puppeteer.defaultArgs()` (public), so that they follow puppeteer's upgrades. They
 *   are kept in the cache per puppeteer-core version: loading puppeteer takes ~0.2 s, and Chromium
 *   is spawned without waiting for it (puppeteer is loaded beside its start, to connect).
 */
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'puppeteer-core'
import { readCache, writeCache } from '../core/cache.ts'

/** Stand-ins for the profile folder and the extra flags in the cached list (puppeteer resolves the folder). */
const PROFILE_MARK = path.resolve('/deck-profile-folder')
const EXTRA_MARK = '--deck-extra-flags'

/** The flags puppeteer starts a headless Chromium with, plus `extra`, for a profile of our own. */
export async function chromiumFlags(): Promise<(userDataDir: string, extra: string[]) => string[]> {
  const key = `puppeteer-core-${puppeteerVersion()}`
  let template = readCache<string[]>('browser-flags', key)
  if (!Array.isArray(template)) {
    const { default: puppeteer } = await import('puppeteer-core')
    template = puppeteer.defaultArgs({ headless: true, userDataDir: PROFILE_MARK, args: [EXTRA_MARK] })
    try {
      writeCache('browser-flags', key, template)
    } catch {
      // not kept: the next start loads puppeteer first again
    }
  }
  const flags = template
  return (userDataDir, extra) => flags.flatMap((flag) => (flag === EXTRA_MARK ? extra : [flag.replaceAll(PROFILE_MARK, path.resolve(userDataDir))]))
}

/** The installed puppeteer-core's version, read without loading it. */
function puppeteerVersion(): string {
  const manifest = createRequire(import.meta.url).resolve('puppeteer-core/package.json')
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

/** Connects puppeteer to a Chromium started with `--remote-debugging-pipe` (fds 3 and 4). */
export async function connectOverPipe(pipeWrite: NodeJS.WritableStream, pipeRead: NodeJS.ReadableStream, protocolTimeout: number): Promise<Browser> {
  const [{ Puppeteer }, { PipeTransport }] = await Promise.all([import('puppeteer-core/internal/common/Puppeteer.js'), import('puppeteer-core/internal/node/PipeTransport.js')])
  const transport = new PipeTransport(pipeWrite, pipeRead)
  const browser = await new Puppeteer({ isPuppeteerCore: true }).connect({ transport, protocolTimeout })
  // The internal modules' types are declared apart from the package's: the same classes.
  return browser as unknown as Browser
}
