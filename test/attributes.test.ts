import { describe, expect, it } from 'vitest'
import { parseAttributeList, parseDivInfo, splitTrailingAttributes } from '../scripts/reader/attributes.ts'

describe('pandoc attributes', () => {
  it.each([
    ['.python file="asyncio/x.py" region="main1"', { classes: ['python'], values: { file: 'asyncio/x.py', region: 'main1' } }],
    [' height=10% ', { classes: [], values: { height: '10%' } }],
    ['#id .a .b k=\'single quoted\'', { id: 'id', classes: ['a', 'b'], values: { k: 'single quoted' } }],
    ['k="with \\"escape\\""', { classes: [], values: { k: 'with "escape"' } }],
    ['=latex', { classes: [], values: {}, rawFormat: 'latex' }],
    // pandoc's litChar: a backslash escapes ASCII punctuation only; references are decoded
    ['replace="v\\d+\\.\\\\.x=>N"', { classes: [], values: { replace: 'v\\d+.\\.x=>N' } }],
    ['k=a\\}b\\d t="&amp;&#65;"', { classes: [], values: { k: 'a}b\\d', t: '&A' } }],
  ])('%s', (input, expected) => {
    expect(parseAttributeList(input)).toEqual({ attributes: expected })
  })

  it('reports where a malformed list goes wrong', () => {
    const result = parseAttributeList('.ok "stray')
    expect(result.error).toMatch(/unexpected/)
    expect(result.errorAt).toBe(4)
  })

  it('reads a div fence info: bare word, braces, nothing', () => {
    expect(parseDivInfo(' columns ')?.attributes.classes).toEqual(['columns'])
    expect(parseDivInfo('{.column width=40%} :::')?.attributes.values).toEqual({ width: '40%' })
    expect(parseDivInfo('   ')).toBeUndefined()
    expect(parseDivInfo('two words')?.error).toBeDefined()
  })

  it('splits trailing heading attributes', () => {
    expect(splitTrailingAttributes('Slide {.fragile}')).toEqual({ before: 'Slide', attributes: { classes: ['fragile'], values: {} } })
    expect(splitTrailingAttributes('No attributes')).toBeUndefined()
  })
})

describe('attribute braces in the Markdown (micromark extension)', async () => {
  const { unified } = await import('unified')
  const { default: remarkParse } = await import('remark-parse')
  const { default: remarkPandocAttributes } = await import('../scripts/reader/remark-pandoc-attributes.ts')
  const { VFile } = await import('vfile')
  const inline = async (markdown: string) => {
    const processor = unified().use(remarkParse).use(remarkPandocAttributes)
    const file = new VFile(markdown)
    const tree = (await processor.run(processor.parse(file), file)) as import('mdast').Root
    const paragraph = tree.children[0]
    return paragraph?.type === 'paragraph' ? paragraph.children : []
  }

  it('attaches braces to the image before them, nothing inside taken for Markdown', async () => {
    const [image, ...rest] = await inline('![](a.png){ height=10% alt="a *b* c" }')
    expect(image?.type).toBe('image')
    expect(image?.data?.attributes).toEqual({ classes: [], values: { height: '10%', alt: 'a *b* c' } })
    expect(rest).toEqual([])
  })

  it('reads two images joined by an escaped space', async () => {
    const nodes = await inline('![](a.png){ height=10% }\\ ![](a.png){height=30%}')
    expect(nodes.map((node) => node.type)).toEqual(['image', 'text', 'image'])
    expect(nodes[2]?.data?.attributes?.values).toEqual({ height: '30%' })
  })

  it('reads raw inline format and classes on inline code', async () => {
    const [code] = await inline('`\\newline`{=tex} and `x`{.python}')
    expect(code?.data?.attributes?.rawFormat).toBe('tex')
  })

  it('leaves braces elsewhere, or malformed, as text', async () => {
    expect((await inline('f(x){not attributes}')).map((node) => node.type === 'text' && node.value)).toEqual(['f(x){not attributes}'])
    const nodes = await inline('![](a.png){ "unterminated }')
    expect(nodes[0]?.type).toBe('image')
    expect(nodes[0]?.data?.attributes).toBeUndefined()
    expect(nodes[1]?.type === 'text' && nodes[1].value).toBe('{ "unterminated }')
  })
})

describe('code block attributes, as written', async () => {
  const { unified } = await import('unified')
  const { default: remarkParse } = await import('remark-parse')
  const { default: remarkPandocAttributes } = await import('../scripts/reader/remark-pandoc-attributes.ts')
  const { VFile } = await import('vfile')

  it('are read from the fence line once, as pandoc reads them (the parsed info string has its escapes decoded already)', async () => {
    const markdown = ['```{.output run="x.sh" replace="v\\d+\\.\\\\.=>vN" note="a\\"b"}', '```', '', '> ```{.c k="\\d"}', '> ```', '', '   ```{.c k="\\\\."}', '   ```', ''].join('\n')
    const processor = unified().use(remarkParse).use(remarkPandocAttributes)
    const file = new VFile(markdown)
    const tree = (await processor.run(processor.parse(file), file)) as import('mdast').Root
    const code = tree.children[0]
    expect(code?.type === 'code' ? code.data?.attributes : undefined).toEqual({ classes: ['output'], values: { run: 'x.sh', replace: 'v\\d+.\\.=>vN', note: 'a"b' } })
    const quoted = tree.children[1]
    const inner = quoted?.type === 'blockquote' ? quoted.children[0] : undefined
    expect(inner?.type === 'code' ? inner.data?.attributes?.values : undefined).toEqual({ k: '\\d' })
    const indented = tree.children[2]
    expect(indented?.type === 'code' ? indented.data?.attributes?.values : undefined, 'an indented fence').toEqual({ k: '\\.' })
  })
})
