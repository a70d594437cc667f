/**
 * Which Chromium prints the PDF: `CHROME_PATH`, else a system Chrome/Chromium, else the one
 * shipped inside the optional npm package @sparticuz/chromium (so a fresh machine needs no
 * install step). Found once per process.
 */
import { accessSync, constants } from 'node:fs'

export interface Browser {
  path: string
  source: 'CHROME_PATH' | 'system' | '@sparticuz/chromium'
}

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
]

export class BrowserNotFoundError extends Error {
  override name = 'BrowserNotFoundError'
}

let found: Promise<Browser> | undefined

export function findBrowser(): Promise<Browser> {
  found ??= locate()
  return found
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function locate(): Promise<Browser> {
  const fromEnv = process.env.CHROME_PATH
  if (fromEnv) {
    if (executable(fromEnv)) return { path: fromEnv, source: 'CHROME_PATH' }
    throw new BrowserNotFoundError(`CHROME_PATH is \`${fromEnv}\`, which is not an executable file`)
  }
  const system = SYSTEM_PATHS.find(executable)
  if (system) return { path: system, source: 'system' }
  let reason = 'it is not installed'
  try {
    const { default: chromium } = await import('@sparticuz/chromium')
    return { path: await chromium.executablePath(), source: '@sparticuz/chromium' }
  } catch (error) {
    if (!/Cannot find (module|package)/.test(String(error))) reason = String(error)
  }
  throw new BrowserNotFoundError(
    `No browser to print the PDF: set CHROME_PATH, install Chromium (e.g. \`apt-get install chromium\`), ` +
      `or run \`npm install\` so that the optional package @sparticuz/chromium is there (${reason})`,
  )
}

/** Chromium's flags for a headless run as root on a machine with no network beyond loopback. */
const HEADLESS_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--font-render-hinting=none',
  '--hide-scrollbars',
]

/** Starts the browser found by findBrowser() under puppeteer (for measuring and screenshots). */
export async function launchBrowser(): Promise<import('puppeteer-core').Browser> {
  const { default: puppeteer } = await import('puppeteer-core')
  const { path: executablePath } = await findBrowser()
  return puppeteer.launch({ executablePath, headless: true, args: HEADLESS_ARGS })
}
