/**
 * Counts in sentences, one way everywhere: "1 badge", "2 badges", "0 badges", "7.5 credits". Pages, mail, CLI
 * answers and refusals all say how many of something there are; each used to pick its own singular or plural,
 * and some said "1 accounts" or "message(s)".
 */

/** A number as people read it in a sentence: no float noise (7.5 stays 7.5, 0.1 + 0.2 shows as 0.3). */
export function formatCount(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The word for `count` things: `one` for exactly one, `many` otherwise (none, several, or a fraction). */
export function wordFor(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** "1 badge", "3 badges", "0 badges", "2.5 credits"; `many` for a word whose plural is not just an s. */
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${wordFor(count, one, many)}`;
}
