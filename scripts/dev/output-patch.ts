/**
 * The quick way to a new page when only snippet outputs changed (the common edit while
 * rehearsing): deckToMarp writes each output and lint block as a raw HTML block
 * (`<pre class="console output"><code>...</code></pre>`, marp-markdown.ts), which Marp copies
 * into the page as it is. So when the new Marp Markdown differs from the last rendered one only
 * inside such blocks, the new page is the last one with those blocks exchanged: no Marp render.
 * Anything else (or a block Marp did not copy verbatim) returns undefined: render as usual.
 */

const OPEN = '<pre class="console '
/** An output or lint block as deckToMarp writes it, alone on its lines (the body is escaped: no `</code>`). */
const OUTPUT_BLOCK = /<pre class="console (?:output|lint)"[^>\n]*><code>[\s\S]*?\n<\/code><\/pre>(?=\n|$)/y

interface Split {
  /** The text with each block cut out. */
  skeleton: string[]
  blocks: string[]
}

function split(text: string): Split {
  const skeleton: string[] = []
  const blocks: string[] = []
  let at = 0
  // Found by their fixed start (a scan of the whole text with a pattern is slow on a large page).
  for (let start = text.indexOf(OPEN); start >= 0; start = text.indexOf(OPEN, start + 1)) {
    if (start > 0 && text[start - 1] !== '\n') continue
    OUTPUT_BLOCK.lastIndex = start
    const block = OUTPUT_BLOCK.exec(text)?.[0]
    if (!block) continue
    skeleton.push(text.slice(at, start))
    blocks.push(block)
    at = start + block.length
  }
  skeleton.push(text.slice(at))
  return { skeleton, blocks }
}

/** The HTML of `markdown`, made from the page rendered from `before.markdown`, if only output blocks differ. */
export function patchOutputs(before: { markdown: string; html: string }, markdown: string): string | undefined {
  const old = split(before.markdown)
  const fresh = split(markdown)
  if (old.blocks.length !== fresh.blocks.length || old.skeleton.some((part, index) => part !== fresh.skeleton[index])) return undefined
  // Marp copied every block as it is, and nothing else looks like one.
  const page = split(before.html)
  if (page.blocks.length !== old.blocks.length || page.blocks.some((block, index) => block !== old.blocks[index])) return undefined
  return page.skeleton.map((part, index) => part + (fresh.blocks[index] ?? '')).join('')
}
