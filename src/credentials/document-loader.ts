import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import { securityLoader } from '@digitalcredentials/security-document-loader';
import { didDocumentFor } from './issuer-keys.ts';
import { localContexts } from './local-contexts.ts';

/** What a JSON-LD document loader hands back for one URL. */
export interface LoadedDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}

export type DocumentLoader = (url: string) => Promise<LoadedDocument>;

/** Looks up a did:web document (ours from the database, others through a guarded fetch); null if unknown. */
export type ResolveDidWeb = (did: string) => Promise<object | null>;

export interface DocumentLoaderOptions {
  resolveDidWeb?: ResolveDidWeb;
}

const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
const ED25519_2020_CONTEXT = 'https://w3id.org/security/suites/ed25519-2020/v1';

// The package's loader is used only for the contexts it bundles (Bitstring Status List, DID v1,
// Ed25519Signature2020, ...). With remote fetching off it has no http handler, and DID URLs never reach
// it because they are answered below, so it cannot touch the network.
const bundledContexts = securityLoader({ fetchRemoteContexts: false }).build();

const loaded = (url: string, document: unknown): LoadedDocument => ({
  contextUrl: null,
  documentUrl: url,
  document,
});

/**
 * A JSON-LD document loader that never goes to the network: it serves the repository's context copies,
 * the contexts bundled in @digitalcredentials/security-document-loader, did:key documents (derived from
 * the key itself) and did:web documents through `resolveDidWeb`. Anything else is refused with an error
 * naming the URL. Signing and verification canonicalize in JSON-LD safe mode, so an undefined term
 * fails loudly instead of being dropped from the signed data.
 */
export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const didWebCache = new Map<string, Promise<object | null>>();
  const resolveDidWeb = (did: string): Promise<object | null> => {
    const hook = options.resolveDidWeb;
    if (!hook) return Promise.resolve(null);
    let pending = didWebCache.get(did);
    if (!pending) {
      pending = hook(did);
      didWebCache.set(did, pending);
    }
    return pending;
  };

  return async (url: string) => {
    if (url.startsWith('did:key:')) return loaded(url, await didKeyDocument(url));
    if (url.startsWith('did:web:')) return loaded(url, await didWebDocument(url, resolveDidWeb));
    if (url.startsWith('did:')) {
      throw new Error(`Unsupported DID method in ${url}: Stackable resolves only did:key and did:web.`);
    }
    const local = localContexts().get(url);
    if (local !== undefined) return loaded(url, local);
    try {
      const bundled = await bundledContexts(url);
      return loaded(url, bundled.document);
    } catch {
      throw new Error(
        `Refused to load ${url}: Stackable never fetches JSON-LD documents from the network, ` +
          'and this one is not among its bundled contexts.',
      );
    }
  };
}

/**
 * The multibase prefixes of an Ed25519 public key (multicodec 0xed01) and of compressed P-256 (0x1200) and P-384
 * (0x1201) ones, as base58btc writes their first bytes.
 */
const ED25519_PREFIX = 'z6Mk';
const ECDSA_PREFIXES: Record<string, 'P-256' | 'P-384'> = { zDn: 'P-256', z82: 'P-384' };

/** Decodes a did:key's key through its library, so a malformed key is refused before any signature work starts. */
async function checkDidKeyKey(did: string, multibase: string): Promise<void> {
  if (multibase.startsWith(ED25519_PREFIX)) {
    await Ed25519Multikey.from({ publicKeyMultibase: multibase });
    return;
  }
  const curve = ECDSA_PREFIXES[multibase.slice(0, 3)];
  if (curve) {
    const key = await EcdsaMultikey.from({ publicKeyMultibase: multibase });
    // The prefix alone does not prove the curve: the decoded key must be on the curve the prefix names.
    if (key.verifier().algorithm === curve) return;
  }
  throw new Error(`Only Ed25519, P-256 and P-384 did:key identifiers are supported: ${did}`);
}

/**
 * did:key for Ed25519, P-256 and P-384 (other issuers sign with any of them; ours are Ed25519): the document is
 * computed from the key, so nothing is fetched. With a fragment the answer is the key itself, without one the DID document.
 */
export async function didKeyDocument(url: string): Promise<unknown> {
  const [did = '', fragment] = url.split('#');
  const multibase = did.slice('did:key:'.length);
  if (fragment !== undefined && fragment !== multibase) throw new Error(`Unknown key ${url} in ${did}.`);
  await checkDidKeyKey(did, multibase);
  const published = didDocumentFor(did, [{ keyId: multibase, publicKeyMultibase: multibase }]);
  // The did:key method puts its one key under every verification relationship, authentication included, so a
  // holder's did:key can sign a presentation as well as an issuer's can sign a credential.
  const keys = published.assertionMethod;
  const document = {
    ...published,
    authentication: keys,
    capabilityInvocation: keys,
    capabilityDelegation: keys,
  };
  if (fragment === undefined) return document;
  return { '@context': MULTIKEY_CONTEXT, ...document.verificationMethod[0] };
}

async function didWebDocument(url: string, resolve: ResolveDidWeb): Promise<unknown> {
  const [did = '', fragment] = url.split('#');
  const document = await resolve(did);
  if (!document) throw new Error(`The DID ${did} could not be resolved.`);
  if (fragment === undefined) return document;
  const method = findVerificationMethod(document, did, `${did}#${fragment}`);
  if (!method) throw new Error(`The DID document of ${did} has no key ${url}.`);
  return method;
}

/**
 * Finds a key in a DID (or other controller) document, whether listed under verificationMethod or embedded in
 * assertionMethod.
 */
export function findVerificationMethod(
  document: object,
  did: string,
  id: string,
): Record<string, unknown> | null {
  const record = document as Record<string, unknown>;
  const candidates = [record.verificationMethod, record.assertionMethod].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  for (const candidate of candidates) {
    if (!candidate || typeof candidate !== 'object') continue;
    const method = candidate as Record<string, unknown>;
    const methodId =
      typeof method.id === 'string' && method.id.startsWith('#') ? `${did}${method.id}` : method.id;
    if (methodId !== id) continue;
    const context = method.type === 'Multikey' ? MULTIKEY_CONTEXT : ED25519_2020_CONTEXT;
    return { '@context': context, controller: did, ...method, id };
  }
  return null;
}
