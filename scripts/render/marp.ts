/**
 * Renders Marp Markdown to HTML and PDF through marp-cli's public API, in this process: the
 * HTML needs no browser; the PDF opens one. marp-cli's console chatter is kept back and shown
 * only when a conversion fails.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { marpCli } from '@marp-team/marp-cli'
import { findBrowser } from './browser.ts'
import { prepareThemes } from './theme.ts'

const configFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'marp.config.mjs')

export class RenderError extends Error {
  override name = 'RenderError'
}

export interface RenderRequest {
  /** The generated Marp Markdown file. */
  input: string
  output: string
  format: 'html' | 'pdf'
}

export async function renderMarp(request: RenderRequest): Promise<void> {
  const args = [request.input, '-c', configFile, '--theme-set', prepareThemes(), '--html', '-o', request.output, '--no-stdin']
  if (request.format === 'pdf') {
    const browser = await findBrowser()
    args.push('--pdf', '--pdf-outlines', '--pdf-outlines.pages=false', '--pdf-notes', '--browser-path', browser.path, '--browser-timeout', '120')
  } else {
    args.push('--bespoke.progress')
  }
  const log: string[] = []
  const code = await withQuietConsole(log, () => marpCli(args))
  if (code !== 0) {
    throw new RenderError(`Marp could not render ${request.format.toUpperCase()} (exit ${code}):\n${log.join('\n')}`)
  }
}

async function withQuietConsole<T>(log: string[], run: () => Promise<T>): Promise<T> {
  const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info }
  const keep = (...parts: unknown[]) => void log.push(parts.map(String).join(' '))
  Object.assign(console, { error: keep, warn: keep, log: keep, info: keep })
  try {
    return await run()
  } finally {
    Object.assign(console, saved)
  }
}
