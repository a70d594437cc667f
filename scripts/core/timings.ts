/**
 * `DECK_TIMINGS=1`: the build, the PDF's printing and the dev server's rebuilds say on stderr how
 * long each stage took. Empty, `0`, `false` or `no` is off, as a user setting it to 0 expects.
 */
export function timingsWanted(): boolean {
  return !['', '0', 'false', 'no'].includes((process.env.DECK_TIMINGS ?? '').trim().toLowerCase())
}
