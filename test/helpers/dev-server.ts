/** Starts `deck dev` as a user does (a child process), and follows its process tree. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../../scripts/core/paths.ts'

export interface DevProcess {
  child: ChildProcess
  url: string
  presenterUrl: string
  /** Everything the server printed so far. */
  output: () => string
}

/** `deck` undefined: the command finds the decks itself. */
export async function startDev(deck: string | undefined, cwd: string, args: string[] = []): Promise<DevProcess> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'launch.mjs'), 'deck', 'dev', ...(deck ? [deck] : []), '--port', '0', ...args], {
    cwd,
    env: { ...process.env, CI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const urls = await new Promise<{ url: string; presenterUrl: string }>((resolve, reject) => {
    const look = () => {
      const audience = /audience\s+(http\S+)/.exec(text)
      const presenter = /presenter\s+(http\S+)/.exec(text)
      if (audience?.[1] && presenter?.[1]) resolve({ url: audience[1], presenterUrl: presenter[1] })
    }
    child.stderr!.on('data', look)
    child.once('exit', (code) => reject(new Error(`deck dev exited (${code}):\n${text}`)))
  })
  return { child, ...urls, output: () => text }
}

/** Alive and not a zombie (an orphan's zombie waits for a reaper that may be slow). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))
  } catch {
    return false
  }
}

/** The processes below `pid` (children, their children, ...), from /proc. */
export function descendants(pid: number): number[] {
  const found: number[] = []
  const visit = (parent: number) => {
    let tasks: string[]
    try {
      tasks = readdirSync(`/proc/${parent}/task`)
    } catch {
      return
    }
    for (const task of tasks) {
      let children = ''
      try {
        children = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8')
      } catch {
        continue
      }
      for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
        found.push(child)
        visit(child)
      }
    }
  }
  visit(pid)
  return found
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * The local addresses listening on `port`, from /proc/net/tcp and tcp6 (what `ss -ltn` reads):
 * IPv4 as `127.0.0.1`, IPv6 as the kernel's hex.
 */
export function listeningAddresses(port: number): string[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) => {
    const rows = readFileSync(table, 'utf8').trim().split('\n').slice(1)
    return rows.flatMap((row) => {
      const [, local, , state] = row.trim().split(/\s+/)
      const at = (local ?? '').lastIndexOf(':')
      const hexAddress = (local ?? '').slice(0, at)
      if (state !== '0A' || Number.parseInt((local ?? '').slice(at + 1), 16) !== port) return []
      if (hexAddress.length !== 8) return [hexAddress]
      return [hexAddress.match(/../g)!.map((byte) => Number.parseInt(byte, 16)).reverse().join('.')]
    })
  })
}

/** Polls until `check` returns a value (not undefined, null or false); `what` names it in the failure. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false> | T | undefined | null | false, limitMs = 90_000): Promise<T> {
  const started = Date.now()
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== null && value !== false) return value
    } catch (error) {
      lastError = error // e.g. a page reloading under the check
    }
    if (Date.now() - started > limitMs) throw new Error(`Timed out waiting for ${what}${lastError ? ` (${String(lastError)})` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
