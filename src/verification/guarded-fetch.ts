import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type Fetcher, FetchRefused } from './fetch-text.ts';
import { refusedAddressReason } from './network-address.ts';

/** How the guarded fetch may reach other sites. */
export interface GuardedFetchOptions {
  /**
   * Hosts (`name` or `name:port`, as in a URL) that may resolve to private or loopback addresses: an on-premise
   * issuer, or a test's own server. Everything else must resolve to public addresses only.
   */
  allowedHosts?: readonly string[];
  /** Certificate authorities to trust instead of the system's (a test's own CA). */
  ca?: string | Buffer;
  /** The whole exchange, redirects included, must finish within this (default 5 s). */
  timeoutMs?: number;
  /** Larger responses are cut off and refused (default 2 MB). */
  maxBytes?: number;
  /** Redirects followed before giving up (default 3). */
  maxRedirects?: number;
}

const sizeInWords = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${Math.ceil(bytes / 1024)} KB`;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NO_BODY = new Set([204, 205, 304]);

/**
 * A fetch for documents other sites publish (DID documents, keys, status lists, registries, identity providers'
 * discovery and keys) and for an identity provider's token requests (a POST with a form), safe to point at an
 * address a stranger chose. Only HTTPS; every host, the first and each redirect's, must resolve to public addresses
 * (checked on the addresses actually connected to, so a DNS answer cannot change between check and use) unless it
 * is on the allow-list; the whole exchange has a deadline and the body a size limit. Other failures (unreachable,
 * TLS refused) reject as a plain fetch would; the guard's own refusals reject with a FetchRefused.
 */
export function createGuardedFetcher(options: GuardedFetchOptions = {}): Fetcher {
  const allowed = new Set((options.allowedHosts ?? []).map((host) => host.toLowerCase()));
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;
  const isAllowed = (url: URL) =>
    allowed.has(url.host.toLowerCase()) || allowed.has(url.hostname.toLowerCase());

  return async (address, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    let url = new URL(address);
    const isGet = (init.method ?? 'GET').toUpperCase() === 'GET';
    for (let hop = 0; ; hop += 1) {
      if (url.protocol !== 'https:') throw new FetchRefused(`${url.href} is not an https:// address.`);
      const hostAllowed = isAllowed(url);
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      const why = isIP(literal) ? refusedAddressReason(literal) : null;
      if (why && !hostAllowed)
        throw new FetchRefused(`${url.href} points at ${why}, which is never fetched.`);
      let response: Response;
      try {
        response = await getOnce(url, init, signal, {
          ca: options.ca,
          maxBytes,
          lookup: hostAllowed ? dnsLookup : publicOnlyLookup,
        });
      } catch (error) {
        if (deadline.aborted) {
          throw new FetchRefused(`${url.href} did not answer within ${timeoutMs / 1000} seconds.`);
        }
        throw error;
      }
      const location = response.headers.get('location');
      // Only a GET is followed: a redirected POST (an identity provider's token endpoint) is handed back as it
      // came, for the caller to refuse, rather than replayed with its credentials to another address.
      if (!REDIRECTS.has(response.status) || !location || !isGet) return response;
      if (hop >= maxRedirects)
        throw new FetchRefused(`${address} redirected more than ${maxRedirects} times.`);
      url = new URL(location, url);
    }
  };
}

/** Resolves a name and refuses it when any of its addresses is not public. */
const publicOnlyLookup: LookupFunction = (hostname, lookupOptions, callback) => {
  dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => refusedAddressReason(entry.address));
    if (refused) {
      const why = refusedAddressReason(refused.address);
      const problem = `${hostname} resolves to ${refused.address}, ${why}, which is never fetched.`;
      return callback(new FetchRefused(problem), '', 0);
    }
    if (lookupOptions.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    return callback(null, first?.address ?? '', first?.family ?? 4);
  });
};

interface HopOptions {
  ca: string | Buffer | undefined;
  maxBytes: number;
  lookup: LookupFunction;
}

/** A request's body as bytes: a form (an identity provider's token request) or text. */
function bodyBytes(body: RequestInit['body']): Buffer | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string' || body instanceof URLSearchParams) return Buffer.from(String(body), 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('the guarded fetch sends only text, form or byte bodies');
}

/** One request, no redirect followed; the answer's body is read in full, up to the size limit. */
function getOnce(url: URL, init: RequestInit, signal: AbortSignal, hop: HopOptions): Promise<Response> {
  const headers = new Headers(init.headers);
  const body = bodyBytes(init.body);
  if (body) headers.set('content-length', String(body.length));
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: (init.method ?? 'GET').toUpperCase(),
        headers: Object.fromEntries(headers),
        signal,
        lookup: hop.lookup,
        // A fresh connection each time: a pooled socket would skip the address check made on connecting.
        agent: false,
        ...(hop.ca ? { ca: hop.ca } : {}),
      },
      (incoming) => readBody(url, incoming, hop.maxBytes).then(resolve, reject),
    );
    outgoing.on('error', reject);
    outgoing.end(body ?? undefined);
  });
}

function readBody(url: URL, incoming: IncomingMessage, maxBytes: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      incoming.destroy();
      reject(new FetchRefused(`${url.href} sent more than ${sizeInWords(maxBytes)}.`));
    };
    if (Number(incoming.headers['content-length'] ?? '0') > maxBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return tooLarge();
      chunks.push(chunk);
    });
    incoming.on('error', reject);
    incoming.on('end', () => {
      const status = incoming.statusCode ?? 502;
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      resolve(new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), { status, headers }));
    });
  });
}
