/**
 * The runner's edge cases, one per row: what a terminal shows, and a clear end with no process
 * left behind for hostile snippets.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveInterpreter, resolvePython } from '../scripts/snippets/interpreters.ts'
import { DEFAULT_LIMITS, runSnippet, type RunResult } from '../scripts/snippets/run.ts'
import { normalizeOutput } from '../scripts/snippets/normalize.ts'
import { findRunProcesses } from '../scripts/snippets/contain.ts'
import { launch } from '../scripts/snippets/spawner.ts'
import { projectRoot } from './helpers/cli.ts'

const dir = path.join(import.meta.dirname, 'fixtures', 'snippets', 'runner')
const python = resolvePython()
if (!python) throw new Error('these tests need python3 on PATH')

async function run(name: string, timeoutMs = DEFAULT_LIMITS.timeoutMs): Promise<RunResult & { text: string }> {
  const runner = name.endsWith('.sh') ? 'sh' : name.endsWith('.mjs') ? 'node' : name.endsWith('.ts') ? 'node-ts' : 'python'
  const interpreter = resolveInterpreter(runner)!
  const result = await runSnippet(path.join(dir, name), interpreter, { ...DEFAULT_LIMITS, timeoutMs })
  return { ...result, text: await normalizeOutput(result.output, { snippetsDir: dir, projectDir: projectRoot, replacements: interpreter.replacements }) }
}

/** The processes of a run still alive: found by the run's own token, not by command lines on the machine. */
function leftOf(result: RunResult): number[] {
  return findRunProcesses(result.token, undefined).map((entry) => entry.pid)
}

/** What a pseudo-terminal shows for the same command (script(1) allocates one). */
async function terminalOutput(name: string): Promise<string> {
  const command = `cd ${JSON.stringify(dir)} && env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 TERM=dumb ${python!.command[0]} ${name}`
  const raw = execFileSync('script', ['-q', '-e', '-c', command, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  return normalizeOutput(raw, { snippetsDir: dir, projectDir: projectRoot, replacements: python!.replacements })
}

describe('snippet runner', () => {
  it('interleaves stdout, stderr and asyncio logging exactly as a terminal shows them', async () => {
    const result = await run('interleave.py')
    expect(result.text).toBe(await terminalOutput('interleave.py'))
    expect(result.text.indexOf('two (stderr)')).toBeLessThan(result.text.indexOf('three'))
    expect(result.text).toContain('Task exception was never retrieved')
  })

  it.each(['pitfall_main1.py', 'pitfall_main2.py', 'pitfall_main3.py', 'pitfall_main4.py'])('deck snippet %s matches the terminal', async (name) => {
    const snippetDir = path.join(projectRoot, 'snippets', 'asyncio')
    const interpreter = resolvePython()!
    const result = await runSnippet(path.join(snippetDir, name), interpreter)
    const ours = await normalizeOutput(result.output, { snippetsDir: snippetDir, projectDir: projectRoot, replacements: interpreter.replacements })
    const command = `cd ${JSON.stringify(snippetDir)} && env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 ${interpreter.command[0]} ${name}`
    const raw = execFileSync('script', ['-q', '-c', command, '/dev/null'], { encoding: 'utf8' })
    expect(ours).toBe(await normalizeOutput(raw, { snippetsDir: snippetDir, projectDir: projectRoot, replacements: interpreter.replacements }))
  })

  it('prints asyncio.current_task() as text with no absolute path', async () => {
    const result = await run('current_task.py')
    expect(result.text).toMatch(/^<Task pending name='Task-1' coro=<main\(\) running at snippets\/current_task\.py:5> cb=\[_run_until_complete_cb\(\) at <stdlib>\/asyncio\/base_events\.py:\d+\]>\n$/)
    expect(result.text).not.toContain(projectRoot)
    expect(result.exitCode).toBe(0)
  })

  it('kills a hang at the timeout: partial output kept, where it hung shown, no process left', async () => {
    const result = await run('hang.py', 1500)
    expect(result.timedOut).toBe(true)
    expect(result.text).toContain('waiting forever')
    expect(result.text).toContain('KeyboardInterrupt')
    expect(leftOf(result)).toEqual([])
  })

  it('reports and kills a child left running after the snippet exits', async () => {
    const result = await run('leftover.sh')
    expect(result.exitCode).toBe(0)
    expect(result.leftovers.map((entry) => entry.command)).toEqual(['sleep 300'])
    expect(result.text).toBe('starting a child that outlives me\nleaving\n')
    expect(leftOf(result)).toEqual([])
  })

  it('stops a 50 MB flood at the cap with a clean UTF-8 cut', async () => {
    const result = await run('flood.py')
    expect(result.truncated).toBe(true)
    expect(result.invalidUtf8).toBe(false)
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxOutputBytes)
    expect(Buffer.byteLength(result.output)).toBeGreaterThan(DEFAULT_LIMITS.maxOutputBytes - 4)
    expect(result.output).not.toContain('\uFFFD')
    expect(leftOf(result)).toEqual([])
  })

  it('flags invalid UTF-8', async () => {
    const result = await run('invalid_utf8.py')
    expect(result.invalidUtf8).toBe(true)
    expect(result.text).toBe('ok \uFFFD\uFFFD bytes\n')
  })

  it('gives input() no stdin: EOFError, exit 1', async () => {
    const result = await run('reads_stdin.py')
    expect(result.exitCode).toBe(1)
    expect(result.text).toMatch(/name\? Traceback \(most recent call last\):[\s\S]*EOFError: EOF when reading a line\n$/)
  })

  it('reports sys.exit(3) as exit status 3', async () => {
    const result = await run('exit3.py')
    expect(result).toMatchObject({ exitCode: 3, signal: null, text: 'exiting with 3\n' })
  })

  it('reports death by SIGKILL', async () => {
    const result = await run('sigkill.py')
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGKILL', text: 'about to be killed\n' })
  })

  it('reports a segfault', async () => {
    const result = await run('segfault.py')
    expect(result.signal).toBe('SIGSEGV')
    expect(result.text).toContain('about to crash')
  })

  it('runs JavaScript with node and TypeScript through tsx, streams in order', async () => {
    expect((await run('hello.mjs')).text).toBe('hello from node\nto stderr\nno HOME\n')
    const typed = await run('typed.ts')
    expect(typed.text).toBe('typed point 1,2\n')
    expect(typed.exitCode).toBe(0)
  })

  it('gives snippets a minimal pinned environment: nothing of the caller leaks', async () => {
    process.env.SECRET_TOKEN = 'hunter2'
    try {
      const result = await run('env_leak.py')
      expect(result.text).not.toContain('hunter2')
      expect(result.text).toContain('no secret')
      expect(result.text).toContain("'PYTHONHASHSEED'")
      // PYTHONHASHSEED=0 fixes the order of a printed set.
      const again = await run('env_leak.py')
      expect(again.text).toBe(result.text)
    } finally {
      delete process.env.SECRET_TOKEN
    }
  })
})

describe('the spawner', () => {
  const collect = (stream: NodeJS.ReadableStream) =>
    new Promise<string>((resolve) => {
      let text = ''
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()))
      stream.on('close', () => resolve(text))
    })

  it('keeps what a process prints after the one it started has exited, and reports the exit after it', async () => {
    // The started shell exits at once; its background child writes to fd 4 a moment later.
    const launched = await launch('/bin/sh', ['-c', '(sleep 0.2; echo late >&4) & echo early >&4; echo 0 >&3'], { cwd: dir, env: { PATH: '/usr/bin:/bin' } })
    const [status, output] = [collect(launched.pipes[3]), collect(launched.pipes[4])]
    let closed = false
    launched.pipes[4].on('end', () => (closed = true))
    await launched.exited
    // The exit is known after what the pipes held, when they close within half a second of it.
    expect(closed).toBe(true)
    expect(await output).toBe('early\nlate\n')
    expect(await status).toBe('0\n')
  }, 10_000)

  it('runs with exactly the environment it is given, in the folder it is given', async () => {
    const launched = await launch('/bin/sh', ['-c', 'env | sort >&4; pwd >&4'], { cwd: dir, env: { PATH: '/usr/bin:/bin', ONLY: 'this' } })
    const output = collect(launched.pipes[4])
    await launched.exited
    expect((await output).split('\n').filter((line) => !/^(PWD|SHLVL|_)=/.test(line))).toEqual(['ONLY=this', 'PATH=/usr/bin:/bin', dir, ''])
  }, 10_000)

  it('rejects a program that cannot start, with the system\'s reason', async () => {
    await expect(launch('/no/such/program', [], { cwd: dir, env: {} })).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
