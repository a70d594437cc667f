/**
 * Generated decks for the scale series of `npm run bench`: N slides in S sections, each slide a
 * title, two bullets and a small code block. The same content twice: as a pandoc deck for our
 * build, and as plain Marp Markdown (no headline, no theme structure) for bare marp.
 */
export interface GeneratedDeck {
  slides: number
  sections: number
  pandoc: string
  marp: string
}

export function generateDeck(slides: number, sections: number): GeneratedDeck {
  const pandoc: string[] = ['---', `title: Generated deck of ${slides} slides`, '---', '']
  const marp: string[] = ['---', 'marp: true', '---', '', `# Generated deck of ${slides} slides`]
  let number = 0
  for (let section = 1; section <= sections; section++) {
    pandoc.push(`# Section ${section}`, '')
    const count = Math.floor(slides / sections) + (section <= slides % sections ? 1 : 0)
    for (let i = 0; i < count; i++) {
      number++
      const body = ['- a first point', '- a second point with `code`', '', '```python', `def step_${number}(x):`, `    return x * ${number}`, '```', '']
      pandoc.push(`## Slide ${number}`, '', ...body)
      marp.push('', '---', '', `## Slide ${number}`, '', ...body)
    }
  }
  return { slides, sections, pandoc: pandoc.join('\n'), marp: marp.join('\n') }
}

/** The series the issue and DESIGN.md name: 100 slides in 8 sections, 300 in 10, 1000 in 20. */
export const SCALE_SERIES: Array<[number, number]> = [
  [100, 8],
  [300, 10],
  [1000, 20],
]
