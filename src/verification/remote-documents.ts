import { didWebDocumentUrl } from '../credentials/issuer-keys.ts';
import { type FetchedText, type Fetcher, fetchLimitedText, JSON_DOCUMENT_TYPES } from './fetch-text.ts';
import { ResponseCache } from './response-cache.ts';

/** A JSON object fetched from another site, or why there is none. */
export type FetchedDocument = { ok: true; document: object } | { ok: false; problem: string };

function parseObject(fetched: FetchedText, url: string): FetchedDocument {
  if (!fetched.ok) return fetched;
  try {
    const value: unknown = JSON.parse(fetched.text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return { ok: true, document: value };
  } catch {
    // Reported below with the rest of the unreadable answers.
  }
  return { ok: false, problem: `${url} did not send a JSON object.` };
}

/**
 * Other issuers' published documents (DID documents, keys, status lists), fetched through the caller's fetcher
 * (the guarded one in the app) and kept as long as their caching headers allow. Whether the network may be used
 * at all is the caller's decision; this only fetches, and only https:// addresses.
 */
export class RemoteDocuments {
  readonly #cache: ResponseCache;

  constructor(
    private readonly fetcher: Fetcher,
    now: () => Date = () => new Date(),
  ) {
    this.#cache = new ResponseCache(now);
  }

  /** A JSON document published at an https address. */
  async fetch(url: string): Promise<FetchedDocument> {
    if (!url.startsWith('https://')) return { ok: false, problem: `${url} is not an https:// address.` };
    const fetched = await fetchLimitedText(this.fetcher, url, {
      accept: JSON_DOCUMENT_TYPES,
      cache: this.#cache,
    });
    return parseObject(fetched, url);
  }

  /** The DID document of a did:web, which must call itself by that DID (did:web resolution requires it). */
  async didWeb(did: string): Promise<FetchedDocument> {
    let url: string;
    try {
      url = didWebDocumentUrl(did);
    } catch {
      return { ok: false, problem: `${did} is not a did:web identifier.` };
    }
    const fetched = await this.fetch(url);
    if (fetched.ok && (fetched.document as { id?: unknown }).id !== did) {
      return { ok: false, problem: `The document at ${url} is not the DID document of ${did}.` };
    }
    return fetched;
  }
}
