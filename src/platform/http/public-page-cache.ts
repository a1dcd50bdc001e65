/**
 * Rendered public pages, kept in this process so a popular page is not rebuilt for every anonymous visitor.
 *
 * A page is kept under its address together with the database's write generation at the time it was
 * rendered (see db/write-counter.ts): any write this process makes retires every page at once, so a change
 * shows on the very next request. Writes made by other processes cannot be seen, so a page is also
 * retired after `ttlMs`; in a deployment of several processes that is how long a change can take to show
 * everywhere (inside the minute the pages already allow shared caches and CDNs, and the minute other processes
 * keep the institution's settings and keys).
 *
 * Keeping pages costs renders: every process renders each page it serves once per `ttlMs`. With 10 seconds, 2,000
 * badge pages asked in turn from two processes needed 400 renders a second just to stay kept, about what two
 * cores can render at all, so nearly every request was a render and the cache only added its own work.
 */
export interface CachedPage {
  body: string | Buffer;
  headers: Record<string, string>;
}

export interface PublicPageCacheOptions {
  /** A number that moves whenever this process changes data a page may show. */
  generation(): number;
  /** How long a page is served before it is rendered again; defaults to 30 seconds. */
  ttlMs?: number;
  /** Pages kept at most (the least recently used go first); defaults to 5,000. */
  maxPages?: number;
  /** Bytes kept at most over all pages; defaults to 64 MB. */
  maxBytes?: number;
  /** Milliseconds now (tests pass their own). */
  now?: () => number;
}

export class PublicPageCache {
  readonly #pages = new Map<string, CachedPage & { generation: number; storedAt: number; size: number }>();
  readonly #ttlMs: number;
  readonly #maxPages: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(private readonly options: PublicPageCacheOptions) {
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#maxPages = options.maxPages ?? 5000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  /** The generation to record with a page rendered from now on. */
  generation(): number {
    return this.options.generation();
  }

  /** The page kept for an address, unless the data changed or it is too old. */
  get(url: string): CachedPage | undefined {
    const page = this.#pages.get(url);
    if (!page) return undefined;
    if (page.generation !== this.options.generation() || this.#now() - page.storedAt >= this.#ttlMs) {
      this.#drop(url);
      return undefined;
    }
    // Most recently used last, so the oldest is first in line to go.
    this.#pages.delete(url);
    this.#pages.set(url, page);
    return page;
  }

  /**
   * Keeps a page rendered from the data as of `generation`; one whose data changed while it was being
   * rendered is not kept.
   */
  set(url: string, page: CachedPage, generation: number): void {
    if (generation !== this.options.generation()) return;
    const size = page.body.length;
    if (size > this.#maxBytes / 4) return;
    this.#drop(url);
    this.#pages.set(url, { ...page, generation, storedAt: this.#now(), size });
    this.#bytes += size;
    while (this.#pages.size > this.#maxPages || this.#bytes > this.#maxBytes) {
      this.#drop(this.#pages.keys().next().value ?? '');
    }
  }

  #drop(url: string): void {
    const page = this.#pages.get(url);
    if (!page) return;
    this.#pages.delete(url);
    this.#bytes -= page.size;
  }
}
