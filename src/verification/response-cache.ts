import { BoundedMap } from '../platform/bounded-map.ts';

/** Longest we keep another site's document, whatever it says: a replaced key must stop counting within a day. */
const MAX_FRESH_SECONDS = 24 * 60 * 60;
const MAX_ENTRIES = 500;

/**
 * How long a response may be reused, in seconds, from its Cache-Control header: `max-age` (or `s-maxage`, since
 * the verifier serves many people), capped at a day; zero for `no-store`, `no-cache` or no freshness at all,
 * for then every use must ask again. Heuristic freshness (guessing from Last-Modified) is deliberately not used.
 */
export function freshSeconds(cacheControl: string | null): number {
  if (!cacheControl) return 0;
  const directives = new Map(
    cacheControl.split(',').map((part) => {
      const [name = '', value = ''] = part.trim().split('=');
      return [name.toLowerCase(), value.replace(/^"|"$/g, '')] as const;
    }),
  );
  if (directives.has('no-store') || directives.has('no-cache')) return 0;
  const seconds = Number(directives.get('s-maxage') ?? directives.get('max-age') ?? '0');
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.floor(seconds), MAX_FRESH_SECONDS) : 0;
}

/**
 * Documents fetched from other sites, kept as long as their own caching headers allow, so verifying a hundred
 * badges of one issuer fetches its DID document once. Bounded: the oldest entry goes first when it is full.
 */
export class ResponseCache {
  readonly #entries = new BoundedMap<string, { text: string; until: number }>(MAX_ENTRIES);

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** The text kept for this address, while it is still fresh. */
  get(url: string): string | undefined {
    const entry = this.#entries.get(url);
    if (!entry) return undefined;
    if (entry.until > this.now().getTime()) return entry.text;
    this.#entries.delete(url);
    return undefined;
  }

  /** Keeps a response for as long as its Cache-Control allows (not at all for no-store). */
  store(url: string, text: string, cacheControl: string | null): void {
    const seconds = freshSeconds(cacheControl);
    this.#entries.delete(url);
    if (seconds === 0) return;
    this.#entries.set(url, { text, until: this.now().getTime() + seconds * 1000 });
  }
}
