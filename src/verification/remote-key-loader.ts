import { type DocumentLoader, findVerificationMethod } from '../credentials/document-loader.ts';

/** Fetches a key or controller document published at an https address; null when it cannot be had. */
export type FetchKeyDocument = (url: string) => Promise<object | null>;

const withoutFragment = (url: string): string => url.split('#')[0] ?? url;
const isHttps = (url: unknown): url is string => typeof url === 'string' && url.startsWith('https://');

/**
 * Extends a document loader with the https verification methods a proof names (OB 3.0 §8: a key may be published
 * at an HTTP URL instead of in a DID document) and the controller documents those keys name. Nothing else is
 * fetched: a context or any other address a badge mentions still goes to the base loader, which never fetches.
 * A document must call itself by the address it was fetched from, so one site cannot speak for another's keys.
 */
export function withRemoteKeys(
  base: DocumentLoader,
  keyUrls: readonly string[],
  fetchKeyDocument: FetchKeyDocument | undefined,
): DocumentLoader {
  const allowed = new Set(keyUrls.filter(isHttps).map(withoutFragment));
  if (!fetchKeyDocument || allowed.size === 0) return base;
  const fetched = new Map<string, Promise<object | null>>();
  const load = (address: string) => {
    let pending = fetched.get(address);
    if (!pending) {
      pending = fetchKeyDocument(address);
      fetched.set(address, pending);
    }
    return pending;
  };

  return async (url) => {
    const address = withoutFragment(url);
    if (!allowed.has(address)) return base(url);
    const document = await load(address);
    if (!document) throw new Error(`The key document ${address} could not be resolved.`);
    const record = document as Record<string, unknown>;
    if (record.id !== address) {
      throw new Error(
        `The document at ${address} calls itself ${String(record.id)}, so it has no key ${url}.`,
      );
    }
    const method = url === address ? record : findVerificationMethod(document, address, url);
    if (!method) throw new Error(`The document at ${address} has no key ${url}.`);
    if (isHttps(method.controller)) allowed.add(withoutFragment(method.controller));
    return { contextUrl: null, documentUrl: url, document: method };
  };
}
