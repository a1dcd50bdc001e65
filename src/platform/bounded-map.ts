/**
 * A Map of at most `limit` entries: adding a key it does not hold to a full map first drops the key it has held
 * longest. For a process's memory of things worked out once (templates, signers, drawn charts, decoded lists),
 * where a stream of distinct keys, a caller's or an attacker's, must not grow memory without end.
 *
 * Reading leaves the order alone, so the first key dropped is the first one added. A cache that should drop the
 * least recently used instead deletes and sets the key again on every hit (see `charts.ts`). `onDrop` hears of
 * each entry dropped for room (not of those deleted by hand), for caches whose entries must be let go of
 * elsewhere too (PGlite's prepared statements, closed by name).
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly #limit: number;

  constructor(
    limit: number,
    private readonly onDrop?: (key: K, value: V) => void,
  ) {
    super();
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`A BoundedMap holds at least one entry, not ${limit}`);
    this.#limit = limit;
  }

  override set(key: K, value: V): this {
    if (this.size >= this.#limit && !this.has(key)) {
      const oldest = this.entries().next();
      if (!oldest.done) {
        const [key, value] = oldest.value;
        this.delete(key);
        this.onDrop?.(key, value);
      }
    }
    return super.set(key, value);
  }
}
