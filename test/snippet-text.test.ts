/** Selecting code from snippet files, and shaping captured output: pure functions, table tests. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheDir, cacheKey } from '../scripts/core/cache.ts'
import { selectCode, findRegions } from '../scripts/snippets/resolve.ts'
import { shapeTracebacks } from '../scripts/snippets/traceback.ts'
import { shapeOutput } from '../scripts/snippets/shape-output.ts'
import { normalizeOutput, ADDRESS_PLACEHOLDER } from '../scripts/snippets/normalize.ts'

const python = ['import asyncio', '', 'class A:', '    # region method', '    def f(self):', '        return 1', '    # endregion', '', '# region tail', 'x = 1', 'y = 2', '# endregion', ''].join('\n')

describe('selecting code', () => {
  it.each([
    [{}, 'import asyncio\n\nclass A:\n    def f(self):\n        return 1\n\nx = 1\ny = 2'],
    [{ region: 'method' }, 'def f(self):\n    return 1'],
    [{ region: 'tail', lines: '2' }, 'y = 2'],
    [{ lines: '1,3' }, 'import asyncio\nclass A:'],
  ])('%j', (selection, expected) => {
    expect(selectCode(python, 'x.py', selection)).toBe(expected)
  })

  it('reads // #region markers in JS and TS', () => {
    const js = 'const a = 1\n// #region demo\nconsole.log(a)\n// #endregion\n'
    expect(findRegions(js, 'x.ts').map((r) => r.name)).toEqual(['demo'])
    expect(selectCode(js, 'x.mjs', { region: 'demo' })).toBe('console.log(a)')
  })

  it('a missing region is an error that lists the regions the file has', () => {
    expect(() => selectCode(python, 'x.py', { region: 'main' })).toThrow('No region `main` in `x.py`: it has `method`, `tail`')
  })

  it('lines outside the file are an error', () => {
    expect(() => selectCode(python, 'x.py', { region: 'tail', lines: '2-5' })).toThrow(/outside `x.py` region `tail`, which has 2 lines/)
  })
})

const traceback = [
  'before',
  'Traceback (most recent call last):',
  '  File "snippets/a/x.py", line 14, in <module>',
  '    asyncio.run(main())',
  '  File "<stdlib>/asyncio/runners.py", line 190, in run',
  '    return runner.run(main)',
  '           ^^^^^^^^^^^^^^^^',
  '  File "snippets/a/x.py", line 8, in main',
  '    raise Exception("boom")',
  'Exception: boom',
  'after',
].join('\n')

describe('shaping tracebacks', () => {
  it('full keeps everything', () => expect(shapeTracebacks(traceback, 'full', '...')).toBe(traceback))
  it('short keeps the header, one marker and the exception', () => {
    expect(shapeTracebacks(traceback, 'short', '...')).toBe('before\nTraceback (most recent call last):\n...\nException: boom\nafter')
  })
  it('user keeps frames in snippet files and marks the rest', () => {
    expect(shapeTracebacks(traceback, 'user', '[...]')).toBe(
      ['before', 'Traceback (most recent call last):', '  File "snippets/a/x.py", line 14, in <module>', '    asyncio.run(main())', '  [...]', '  File "snippets/a/x.py", line 8, in main', '    raise Exception("boom")', 'Exception: boom', 'after'].join('\n'),
    )
  })
})

describe('shaping Node.js stacks', () => {
  // As Node 20 prints an error with a cause, its paths normalised (file:///<project>/ gone).
  const stack = [
    'snippets/t/err.mjs:2',
    "  throw new Error('boom', { cause: new TypeError('bad input') })",
    '        ^',
    '',
    'Error: boom',
    '    at inner (snippets/t/err.mjs:2:9)',
    '    at async Promise.all (index 0)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    '    at async snippets/t/err.mjs:4:1 {',
    '  [cause]: TypeError: bad input',
    '      at inner (snippets/t/err.mjs:2:36)',
    '      at ModuleJob.run (node:internal/modules/esm/module_job:234:25)',
    '}',
    '',
    'Node.js v20.20.2',
  ].join('\n')
  it('full keeps everything', () => expect(shapeTracebacks(stack, 'full', '...')).toBe(stack))
  it('short keeps the error lines and one marker per stack, with the brace of the error\'s properties', () => {
    expect(shapeTracebacks(stack, 'short', '...')).toBe(
      ['snippets/t/err.mjs:2', "  throw new Error('boom', { cause: new TypeError('bad input') })", '        ^', '', 'Error: boom', '    ... {', '  [cause]: TypeError: bad input', '      ...', '}', '', 'Node.js v20.20.2'].join('\n'),
    )
  })
  it('user keeps frames in snippet files and marks the rest', () => {
    expect(shapeTracebacks(stack, 'user', '[...]').split('\n').slice(4)).toEqual([
      'Error: boom',
      '    at inner (snippets/t/err.mjs:2:9)',
      '    [...]',
      '    at async snippets/t/err.mjs:4:1 {',
      '  [cause]: TypeError: bad input',
      '      at inner (snippets/t/err.mjs:2:36)',
      '      [...]',
      '}',
      '',
      'Node.js v20.20.2',
    ])
  })
  it('drops Node\'s own line of code above an error thrown inside Node (short, user), keeps it in full', () => {
    const thrown = [
      'node:fs:448',
      '    return binding.readFileUtf8(path, stringToFlags(options.flag));',
      '                   ^',
      '',
      "Error: ENOENT: no such file or directory, open 'nope.json'",
      '    at Object.readFileSync (node:fs:448:20)',
      '    at load (snippets/g/missing.cjs:4:24)',
      '    at Module._compile (node:internal/modules/cjs/loader:1521:14) {',
      '  errno: -2',
      '}',
    ].join('\n')
    expect(shapeTracebacks(thrown, 'user', '...').split('\n')).toEqual(["Error: ENOENT: no such file or directory, open 'nope.json'", '    ...', '    at load (snippets/g/missing.cjs:4:24)', '    ... {', '  errno: -2', '}'])
    expect(shapeTracebacks(thrown, 'short', '...').split('\n')).toEqual(["Error: ENOENT: no such file or directory, open 'nope.json'", '    ... {', '  errno: -2', '}'])
    expect(shapeTracebacks(thrown, 'full', '...')).toBe(thrown)
  })
  it("takes Node's own `... N lines matching cause stack trace ...` as left-out frames (short, user)", () => {
    const caused = [
      'Error: outer failure',
      '    at outer (snippets/t/cause.cjs:3:41)',
      '    at Object.<anonymous> (snippets/t/cause.cjs:5:1)',
      '    ... 5 lines matching cause stack trace ...',
      '    at node:internal/main/run_main_module:28:49 {',
      '  [cause]: Error: inner failure',
      '      at inner (snippets/t/cause.cjs:1:26)',
      '      at Module._compile (node:internal/modules/cjs/loader:1521:14)',
      '}',
    ].join('\n')
    expect(shapeTracebacks(caused, 'user', '...').split('\n')).toEqual([
      'Error: outer failure',
      '    at outer (snippets/t/cause.cjs:3:41)',
      '    at Object.<anonymous> (snippets/t/cause.cjs:5:1)',
      '    ... {',
      '  [cause]: Error: inner failure',
      '      at inner (snippets/t/cause.cjs:1:26)',
      '      ...',
      '}',
    ])
    expect(shapeTracebacks(caused, 'short', '...').split('\n').slice(0, 3)).toEqual(['Error: outer failure', '    ... {', '  [cause]: Error: inner failure'])
  })
  it('leaves a JVM stack alone', () => {
    const java = 'Exception in thread "main" java.lang.IllegalStateException: boom\n\tat Fail.main(Fail.java:4)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)'
    expect(shapeTracebacks(java, 'short', '...')).toBe(java)
  })
})

describe('output options', () => {
  const output = 'a\nb\nc\nd\ne\n'
  it.each([
    [{ lines: '2-3' }, 'b\nc'],
    [{ maxLines: 2 }, 'a\nb\n... (3 more lines)'],
    [{ replace: '^c$=>C!' }, 'a\nb\nC!\nd\ne'],
  ])('%j', (options, expected) => {
    expect(shapeOutput(output, { traceback: 'full', marker: '...', ...options })).toBe(expected)
  })
  it('a bad replace is an error that says so', () => {
    expect(() => shapeOutput(output, { traceback: 'full', marker: '...', replace: 'no arrow' })).toThrow(/REGEX=>TEXT/)
  })
  it('a replace that changes nothing is said (what it was to hide shows as printed)', () => {
    const told: string[] = []
    expect(shapeOutput(output, { traceback: 'full', marker: '...', replace: 'zzz=>Z' }, (message) => told.push(message))).toBe('a\nb\nc\nd\ne')
    expect(told).toHaveLength(1)
    expect(told[0]).toMatch(/`replace` \(`zzz`\) changed nothing in the output/)
    told.length = 0
    shapeOutput(output, { traceback: 'full', marker: '...', replace: 'c=>C' }, (message) => told.push(message))
    expect(told).toEqual([])
  })
  it('a replacement is remembered, and what is remembered is the replacement of that output by that pattern', () => {
    const unique = `run ${process.pid} ${Date.now()}\nx=1\n`
    const first = shapeOutput(unique, { traceback: 'full', marker: '...', replace: 'x=(\\d)=>y=$1$1' })
    expect(first).toBe(`${unique.split('\n')[0]}\ny=11`)
    expect(existsSync(path.join(cacheDir, 'replace', `${cacheKey('replace', unique.slice(0, -1), 'x=(\\d)', 'gm', 'y=$1$1')}.json`))).toBe(true)
    expect(shapeOutput(unique, { traceback: 'full', marker: '...', replace: 'x=(\\d)=>y=$1$1' })).toBe(first)
    expect(shapeOutput(unique, { traceback: 'full', marker: '...', replace: 'x=(\\d)=>z=$1' }), 'another replacement').toBe(`${unique.split('\n')[0]}\nz=1`)
  })
})

describe('normalising output', () => {
  const context = { snippetsDir: '/home/u/talk/snippets', projectDir: '/home/u/talk', replacements: [{ from: '/opt/py/lib/python3.11', to: '<stdlib>' }] }
  it.each([
    ['File "/home/u/talk/snippets/a/x.py", line 3', 'File "snippets/a/x.py", line 3'],
    ['File "/opt/py/lib/python3.11/asyncio/tasks.py"', 'File "<stdlib>/asyncio/tasks.py"'],
    ['<object at 0x7f3a2b1c4d60>', `<object at ${ADDRESS_PLACEHOLDER}>`],
    ['a\r\nb\r\n', 'a\nb\n'],
    ['progress 10%\rprogress 100%\n', 'progress 100%\n'],
    ['\u001b[31mred\u001b[0m', 'red'],
  ])('%j', async (raw, expected) => {
    expect(await normalizeOutput(raw, context)).toBe(expected)
  })
})

describe('freshness key', () => {
  it('holds the language version of the interpreter, not its patch release', async () => {
    const { producerLine } = await import('../scripts/snippets/outputs.ts')
    expect(producerLine('CPython 3.11.7')).toBe('CPython 3.11')
    expect(producerLine('CPython 3.13.0rc1')).toBe('CPython 3.13')
    expect(producerLine('ruff 0.17.4')).toBe('ruff 0.17')
    expect(producerLine('sh')).toBe('sh')
  })
})
