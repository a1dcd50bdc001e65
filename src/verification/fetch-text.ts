import type { ResponseCache } from './response-cache.ts';

/**
 * How the verification module reaches other sites. In the app it is the guarded fetch (guarded-fetch.ts); tests pass
 * one that trusts their own server.
 */
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A fetch the fetcher refused or cut short (the guard: a private address, too big, too slow); `problem` says why in
 * words a person can read, and is shown instead of a network error's.
 */
export class FetchRefused extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'FetchRefused';
  }
}

const NETWORK_TIMEOUT_MS = 5000;
const MAX_REMOTE_BYTES = 2 * 1024 * 1024;

/** Media types of the JSON documents the verifier reads: DID documents, keys, credentials, registries. */
export const JSON_DOCUMENT_TYPES: readonly string[] = [
  'application/json',
  'application/ld+json',
  'application/did+json',
  'application/did+ld+json',
  'application/vc',
  'application/vc+ld+json',
];

/** `status` is the HTTP status of a refusal (Open Badges 2.0 marks a revoked hosted badge 410 Gone). */
export type FetchedText = { ok: true; text: string } | { ok: false; problem: string; status?: number };

export interface FetchTextOptions {
  /** Media types the answer may have (without parameters); another is refused. Absent: any type. */
  accept?: readonly string[];
  /** Where fresh answers are kept and looked up, by their Cache-Control. */
  cache?: ResponseCache;
}

/**
 * Fetches a small text document (a DID document, a status list, a registry) with a timeout and a size limit.
 * Never throws: an unreachable host, a timeout, refused TLS, an address the guard refuses, an unexpected media
 * type or an error status come back as a problem in words.
 */
export async function fetchLimitedText(
  fetcher: Fetcher,
  url: string,
  options: FetchTextOptions = {},
): Promise<FetchedText> {
  const cached = options.cache?.get(url);
  if (cached !== undefined) return { ok: true, text: cached };
  let response: Response;
  try {
    response = await fetcher(url, {
      signal: AbortSignal.timeout(NETWORK_TIMEOUT_MS),
      redirect: 'follow',
      headers: { accept: 'application/json, application/did+json, application/ld+json, */*;q=0.5' },
    });
  } catch (error) {
    if (error instanceof FetchRefused) return { ok: false, problem: error.problem };
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    return { ok: false, problem: `${url} could not be reached${cause ? ` (${cause})` : ''}.` };
  }
  if (!response.ok) {
    return {
      ok: false,
      problem: `${url} answered with HTTP status ${response.status}.`,
      status: response.status,
    };
  }
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (options.accept && !options.accept.includes(mediaType)) {
    return { ok: false, problem: `${url} sent ${mediaType || 'no media type'}, not a JSON document.` };
  }
  const tooLarge = {
    ok: false as const,
    problem: `${url} sent more than ${MAX_REMOTE_BYTES / 1024 / 1024} MB.`,
  };
  if (Number(response.headers.get('content-length') ?? '0') > MAX_REMOTE_BYTES) return tooLarge;
  let text: string;
  try {
    text = await response.text();
  } catch {
    return { ok: false, problem: `${url} stopped sending before the end.` };
  }
  if (text.length > MAX_REMOTE_BYTES) return tooLarge;
  options.cache?.store(url, text, response.headers.get('cache-control'));
  return { ok: true, text };
}
