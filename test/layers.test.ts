import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { importEdges, layerViolations } from '../scripts/layers.ts'

const scripts = path.join(import.meta.dirname, '..', 'scripts')

describe('the layering of scripts/', () => {
  it('holds: no upward import, no cycle', () => {
    const edges = importEdges(scripts)
    expect(edges.length).toBeGreaterThan(150)
    expect(layerViolations(edges)).toEqual([])
  })

  it('names a planted upward import and a cycle', () => {
    const edges = [
      ...importEdges(scripts),
      { from: path.join('reader', 'parse.ts'), to: path.join('browser', 'pdf.ts') },
      { from: path.join('core', 'paths.ts'), to: path.join('core', 'cache.ts') },
    ]
    const problems = layerViolations(edges)
    expect(problems).toContain(`${path.join('reader', 'parse.ts')} imports ${path.join('browser', 'pdf.ts')}: reader/ may not import browser/ (a higher layer)`)
    expect(problems.some((line) => line.startsWith('import cycle:') && line.includes('core/paths.ts'))).toBe(true)
  })

  it('knows every folder of scripts/', () => {
    const edges = importEdges(scripts).map(({ from }) => ({ from, to: from }))
    expect(layerViolations(edges).filter((line) => line.includes('not a layer'))).toEqual([])
  })
})
