/**
 * The dev client's one link to Marp's deck object (the bespoke.js deck of marp-cli's HTML): the
 * only place that knows how to get hold of it and which of its calls the client uses. Marp keeps
 * the object to itself and documents no script API for it. Its sync plugin is the one place that
 * marks it: `Object.defineProperty(deck, 'syncKey', ...)`. So, before Marp's script runs, the
 * page's `Object.defineProperty` is wrapped for as long as it takes to see that definition (then
 * put back), and the object is checked for the calls the client makes, the ones the sync plugin
 * makes itself: `slide(index, { fragment })`, `next()`, `prev()`, `fragmentIndex`, `slides` and
 * the `fragment` event.
 *
 * When a marp-cli upgrade changes any of it, test/dev-stage.test.ts fails with `deckProblem`'s
 * reason, and open dev pages say it in the presenter view (pages still follow builds then, but not
 * each other's moves).
 *
 * Both functions run in the page: they are serialised with `toString()` (client.ts), so they use
 * nothing from outside themselves.
 */

export interface BespokeDeck {
  slide(index?: number, options?: { fragment?: number; forSync?: boolean }): number
  next(options?: { fragment?: boolean }): void
  prev(options?: { fragment?: boolean }): void
  fragmentIndex: number
  slides: HTMLElement[]
  on(event: 'fragment', listener: (event: { index: number; fragmentIndex: number }) => void): void
}

/**
 * Calls `found` with the deck once Marp's script has made it, or `missing` with the reason once
 * the page has loaded without it. Run it before Marp's script (in `<head>`). `deckRoot` tells a
 * Marp page (MARP_SELECTORS.deckRoot).
 */
export function catchMarpDeck(found: (deck: BespokeDeck) => void, missing: (reason: string) => void, deckRoot: string): void {
  const host = Object as { defineProperty: (target: object, key: PropertyKey, descriptor: PropertyDescriptor) => object }
  const define = host.defineProperty
  let caught = false
  host.defineProperty = function (target, key, descriptor) {
    const result = define(target, key, descriptor)
    if (key === 'syncKey' && !caught && target && typeof (target as { slide?: unknown }).slide === 'function') {
      caught = true
      host.defineProperty = define
      const deck = target as BespokeDeck
      // The sync plugin defines syncKey while the deck is being set up: use it once that is over.
      setTimeout(() => {
        const problem = deckProblem(deck)
        if (problem) missing(problem)
        else found(deck)
      }, 0)
    }
    return result
  }
  window.addEventListener('load', () => {
    if (caught) return
    host.defineProperty = define
    const marp = document.querySelector(deckRoot)
    missing(
      marp
        ? "Marp's sync plugin no longer marks its deck object with `Object.defineProperty(deck, 'syncKey', ...)`"
        : 'the page has no Marp deck (bespoke.js)',
    )
  })

  function deckProblem(deck: BespokeDeck): string | null {
    const calls = ['slide', 'next', 'prev', 'on'] as const
    const lacking = calls.filter((name) => typeof deck[name] !== 'function')
    if (lacking.length > 0) return `Marp's deck object has no ${lacking.map((name) => `${name}()`).join(', ')}`
    if (typeof deck.fragmentIndex !== 'number') return "Marp's deck object has no numeric `fragmentIndex`"
    if (!Array.isArray(deck.slides) || deck.slides.length === 0) return "Marp's deck object has no `slides` array"
    if (typeof deck.slide() !== 'number') return "Marp's deck object's slide() does not return the current slide's index"
    return null
  }
}
