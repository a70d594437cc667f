import { describe, expect, it } from 'vitest'
import { parseAttributeList, parseDivInfo, splitTrailingAttributes } from '../scripts/markdown/attributes.ts'

describe('pandoc attributes', () => {
  it.each([
    ['.python file="asyncio/x.py" region="main1"', { classes: ['python'], values: { file: 'asyncio/x.py', region: 'main1' } }],
    [' height=10% ', { classes: [], values: { height: '10%' } }],
    ['#id .a .b k=\'single quoted\'', { id: 'id', classes: ['a', 'b'], values: { k: 'single quoted' } }],
    ['k="with \\"escape\\""', { classes: [], values: { k: 'with "escape"' } }],
    ['=latex', { classes: [], values: {}, rawFormat: 'latex' }],
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
