/** Bits in the sieve: 4 MB whatever the file's length; of a million distinct keys about 1.5 % are false "maybe"s. */
const BITS_LOG2 = 25;

/**
 * Which rows of a completions file may repeat an earlier row's student, course and term, seen as the file is read:
 * a bitmap of the keys' hashes. A row whose bit is clear is certainly the first with its key; a row whose bit is
 * already set may repeat an earlier one (or only share its bit). The deciding statement then groups only the keys of
 * the "maybe" rows to find the real repeats, instead of every row of the file (a million-row hash aggregate that
 * spilled to disk). A false "maybe" costs the database one more key to look at; a repeat is never missed, since
 * equal keys have equal hashes.
 */
export class RepeatSieve {
  readonly #words = new Uint32Array(1 << (BITS_LOG2 - 5));

  /** Notes a row's key; true when a row before it may have had the same one. */
  sees(studentId: string, course: string, term: string): boolean {
    const bit = keyHash(studentId, course, term) >>> (32 - BITS_LOG2);
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    const seen = (this.#words[word]! & mask) !== 0;
    this.#words[word]! |= mask;
    return seen;
  }
}

/** FNV-1a over the three values (each ended by a 0, so "ab","c" and "a","bc" differ), then mixed (murmur3's fmix). */
export function keyHash(studentId: string, course: string, term: string): number {
  let h = 0x811c9dc5;
  h = mix(h, studentId);
  h = mix(h, course);
  h = mix(h, term);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix(hash: number, value: string): number {
  let h = hash;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ 0, 0x01000193);
}
