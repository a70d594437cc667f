const root = process.argv[2]
const { benchSnippetOverhead } = await import(`${root}/scripts/snippets/bench-overhead.ts`)
const r = await benchSnippetOverhead(Number(process.argv[3] ?? 5))
console.log(root, r?.medianMs.toFixed(1), r?.detail)
