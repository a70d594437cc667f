/**
 * Runs a command and measures it: wall time, or (`memory`) the peak of the summed proportional set
 * size of the process and all its descendants (Node and the browser's processes together),
 * sampled from /proc every 50 ms. Linux only; elsewhere the memory is reported as unknown. The
 * sampling is not free: reading a process's smaps_rollup walks its page tables under its memory
 * lock, which slowed our 1000-slide build (two renderers at work) from 11.6 s to 16.6 s; so the
 * time of a sampled run is not a figure.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export interface Measured {
  seconds: number
  /** Peak resident memory of the process group, in MiB (undefined where /proc is missing). */
  peakMiB?: number
  status: number | null
  stderr: string
}

const PAGE_KIB = 4

/** The summed resident memory of `root` and all its descendants (the browser starts in a group of its own). */
function treeResidentKiB(root: number): number | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }
  const parents = new Map<number, number>()
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // /proc/<pid>/stat: the command is in parentheses and may hold spaces; fields follow it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // the process ended while we looked
    }
  }
  const inTree = (pid: number): boolean => {
    for (let current: number | undefined = pid, depth = 0; current !== undefined && current > 1 && depth < 64; current = parents.get(current), depth++) {
      if (current === root) return true
    }
    return false
  }
  let total = 0
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue
    try {
      // PSS shares the pages processes have in common among them (Chromium's processes share
      // much); RSS, where smaps_rollup is missing, counts them in each.
      const rollup = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
      total += rollup ? Number(rollup[1]) : Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_KIB
    } catch {
      // ended meanwhile
    }
  }
  return total
}

export function measureCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; memory?: boolean }): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000)
    })
    let peak: number | undefined = 0
    const sample = () => {
      const now = child.pid === undefined ? undefined : treeResidentKiB(child.pid)
      peak = now === undefined || peak === undefined ? undefined : Math.max(peak, now)
    }
    if (!options.memory) peak = undefined
    const timer = options.memory ? setInterval(sample, 50) : undefined
    child.on('error', (error) => {
      clearInterval(timer)
      reject(error)
    })
    child.on('close', (status) => {
      clearInterval(timer)
      resolve({ seconds: (performance.now() - started) / 1000, ...(peak !== undefined ? { peakMiB: peak / 1024 } : {}), status, stderr })
    })
  })
}
