/**
 * The headline's deck-wide assets, added once to the HTML: the CSS with the dot images
 * (render/headline-dots.ts), and one small script: only the current section's dots are links
 * (marp/headline.ts), so a click on any other dot finds the dot from where its row was
 * clicked and goes to that dot's slide.
 */
const SCRIPT = `<script>
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null
  const row = target && !target.closest('a') ? target.closest('nav.headline .dots[data-first]') : null
  if (!row) return
  const count = Number(row.style.getPropertyValue('--count'))
  const box = row.getBoundingClientRect()
  if (!(count > 0) || box.width <= 0) return
  const index = Math.min(count - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * count)))
  location.hash = '#' + (Number(row.dataset.first) + index)
})
</script>`

/** The HTML with the headline's dot images (`style`, once for the deck) and the script added before `</body>`. */
export function withHeadlineAssets(html: string, style: string): string {
  const assets = `${style ? `<style>${style}</style>` : ''}${SCRIPT}`
  const end = html.lastIndexOf('</body>')
  return end < 0 ? html + assets : html.slice(0, end) + assets + html.slice(end)
}
