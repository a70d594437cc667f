/**
 * Marp's thread handed over by the launcher (scripts/launch.mjs starts it before the toolchain
 * loads; render/marp-thread.ts adopts it): the adopted thread is the one that renders, its failure
 * before the hand-over is the renderer's failure, and a build that renders nothing ends it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { marpThread, releaseEarlyThread, releaseRenderer } from '../scripts/render/marp-thread.ts'

const EARLY = Symbol.for('deck.early-marp-thread')
const holder = globalThis as { [EARLY]?: { worker: Worker; first: Promise<unknown> } }

/** A thread as the launcher hands it over: its first event caught by the launcher's listeners. */
function handOver(worker: Worker): Worker {
  worker.unref()
  const first = new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`Marp's thread stopped (exit ${code})`)))
  })
  first.catch(() => undefined)
  holder[EARLY] = { worker, first }
  return worker
}

/** A stand-in for marp-worker.ts: ready at once, answers each job with its own name. */
const ECHO = `const { parentPort } = require('node:worker_threads')
parentPort.postMessage({ id: 0, log: [] })
parentPort.on('message', (job) => parentPort.postMessage({ id: job.id, code: 0, log: [], output: 'the early thread' }))`

afterEach(async () => {
  delete holder[EARLY]
  await releaseRenderer()
})

describe("Marp's thread started by the launcher", () => {
  it('is the thread that renders, also when its ready message came before the hand-over', async () => {
    await releaseRenderer()
    const worker = handOver(new Worker(ECHO, { eval: true }))
    // Its ready message reaches the launcher's listener before marp-thread.ts has one.
    await holder[EARLY]!.first
    const thread = marpThread()
    await expect(thread.ready).resolves.toBeUndefined()
    const done = await thread.run({ type: 'render', args: [] })
    expect(done.output).toBe('the early thread')
    expect(holder[EARLY], 'taken once').toBeUndefined()
    expect(worker.threadId).toBeGreaterThan(0)
  })

  it('that failed before the hand-over: the renderer fails with its error', async () => {
    await releaseRenderer()
    handOver(new Worker(`throw new Error('no Marp here')`, { eval: true }))
    await expect(marpThread().ready).rejects.toThrow('no Marp here')
  })

  it('not adopted (nothing to render): releaseEarlyThread() ends it, and leaves an adopted one', async () => {
    await releaseRenderer()
    const adopted = marpThread()
    await releaseEarlyThread()
    expect(marpThread(), 'the adopted thread stays').toBe(adopted)
    const worker = handOver(new Worker(`${ECHO}\nsetInterval(() => {}, 1000)`, { eval: true }))
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve))
    await releaseEarlyThread()
    await expect(exited).resolves.toBeTypeOf('number')
    expect(holder[EARLY]).toBeUndefined()
  }, 10_000)

  it("scripts/launch.mjs's thread (the bundled marp-worker) renders a deck once adopted", async () => {
    await releaseRenderer()
    // Node's own import (test/helpers/native-import.cjs), as the command line loads the launcher.
    const nativeImport = createRequire(import.meta.url)('./helpers/native-import.cjs') as (url: string) => Promise<unknown>
    const { startMarpThread } = (await nativeImport(pathToFileURL(path.join(import.meta.dirname, '..', 'scripts', 'launch.mjs')).href)) as { startMarpThread: () => void }
    startMarpThread()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deck-early-thread-'))
    try {
      const input = path.join(dir, 'talk.md')
      writeFileSync(input, '# Early\n\nRendered by the launcher\'s thread\n')
      const thread = marpThread()
      expect(holder[EARLY], 'adopted').toBeUndefined()
      const done = await thread.run({ type: 'render', args: [input, '--no-config-file', '--html', '-o', '-', '--no-stdin'] })
      expect(done.error).toBeUndefined()
      expect(done.output).toContain("Rendered by the launcher's thread")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
