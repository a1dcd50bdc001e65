import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import type { JWK, ProtectedHeaderParameters } from 'jose';
import type { DocumentLoader } from '../credentials/document-loader.ts';
import { isSameKey, publicJwkOf } from '../credentials/jwt-keys.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';

/** The issuer's key a VC-JWT names, as a public JWK, or why there is none we may use. */
export type ResolvedJwtKey =
  | { ok: true; jwk: JWK; keyId: string; controller: string }
  | { ok: false; message: string };

/** What a JWT's key must be listed for, and how messages name its owner and that use. */
export interface KeyUse {
  relationship: 'assertionMethod' | 'authentication';
  party: 'issuer' | 'holder';
  purpose: string;
}

/** A credential's key: the issuer lists it for making assertions. */
export const ISSUER_KEY: KeyUse = {
  relationship: 'assertionMethod',
  party: 'issuer',
  purpose: 'signing badges',
};

/** A presentation's key: the holder lists it for authentication (VC 2.0, as for a Data Integrity holder proof). */
export const HOLDER_KEY: KeyUse = {
  relationship: 'authentication',
  party: 'holder',
  purpose: 'authentication',
};

/** The ids of the methods a DID document lists for one use (relative ids made absolute). */
function methodIds(didDocument: unknown, did: string, relationship: KeyUse['relationship']): string[] {
  const entries = isObject(didDocument) ? didDocument[relationship] : undefined;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: unknown) => {
    const id = typeof entry === 'string' ? entry : isObject(entry) ? entry.id : undefined;
    if (typeof id !== 'string') return [];
    return [id.startsWith('#') ? `${did}${id}` : id];
  });
}

/** A verification method's public key as a JWK: a JsonWebKey's own, or an Ed25519, P-256 or P-384 Multikey converted. */
async function jwkOfMethod(method: JsonObject): Promise<JWK> {
  if (isObject(method.publicKeyJwk)) return publicJwkOf(method.publicKeyJwk as JWK);
  const multibase = method.publicKeyMultibase;
  if (typeof multibase === 'string' && multibase.startsWith('z6Mk')) {
    const key = await Ed25519Multikey.from(method as Parameters<typeof Ed25519Multikey.from>[0]);
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey).toString('base64url') };
  }
  // zDn and z82 begin compressed P-256 and P-384 keys; the library reads the curve from the key itself.
  if (typeof multibase === 'string' && (multibase.startsWith('zDn') || multibase.startsWith('z82'))) {
    const key = await EcdsaMultikey.from({ publicKeyMultibase: multibase });
    return publicJwkOf(await EcdsaMultikey.toJwk({ keyPair: key }));
  }
  throw new Error(
    `the key ${String(method.id)} is neither a JSON Web Key nor an Ed25519, P-256 or P-384 Multikey`,
  );
}

async function methodKey(documentLoader: DocumentLoader, keyId: string): Promise<JWK> {
  const { document } = await documentLoader(keyId);
  if (!isObject(document)) throw new Error(`the key ${keyId} is not described`);
  return jwkOfMethod(document);
}

/**
 * Finds the issuer's public key for a VC-JWT. The key must be one the issuer's DID document lists for making
 * assertions: named by `kid` (a DID URL of the issuer, or a fragment relative to it), or, when the header carries
 * the key itself in `jwk` (as 1EdTech's examples do), found among those methods by its RFC 7638 thumbprint. A `jwk`
 * header on its own proves nothing (anyone can sign with a key and attach it), so a key the issuer does not publish
 * is refused, and a `jwk` beside a `kid` must be the key the `kid` names.
 *
 * An issuer whose id is an https address (OB 3.0 §8) is its own controller document: fetched at that address, it
 * must list the key under `assertionMethod`, and the key, which may live at another address, must name the issuer
 * as its `controller`. The loader decides whether such addresses may be fetched at all (see withRemoteKeys).
 */
export async function resolveJwtKey(
  header: ProtectedHeaderParameters,
  issuerId: string,
  documentLoader: DocumentLoader,
  use: KeyUse = ISSUER_KEY,
): Promise<ResolvedJwtKey> {
  const { party, purpose } = use;
  const { kid } = header;
  const embedded = isObject(header.jwk) ? (header.jwk as JWK) : undefined;
  if (!kid && !embedded) {
    return { ok: false, message: 'The JWT does not say which key signed it (no "kid" or "jwk" header).' };
  }
  const isDid = issuerId.startsWith('did:');
  // Presentations bind holders through DID documents only; an https holder key is not supported.
  const isHttpsIssuer = use.relationship === 'assertionMethod' && issuerId.startsWith('https://');
  if (!isDid && !isHttpsIssuer) {
    return {
      ok: false,
      message: `The ${party} ${issuerId} is neither a DID nor an https address, so Stackable cannot find a key it publishes that would bind the JWT's key to it.`,
    };
  }
  const document = isDid ? 'DID document' : 'document';
  const { document: controllerDocument } = await documentLoader(issuerId);
  const listed = methodIds(controllerDocument, issuerId, use.relationship);

  if (kid) {
    const keyId = kid.startsWith('#') ? `${issuerId}${kid}` : kid;
    // A DID's keys are its own DID URLs; an https issuer's key may live elsewhere but must name it as controller.
    if (isDid && keyId.split('#')[0] !== issuerId) {
      return { ok: false, message: `The signing key ${keyId} does not belong to the ${party} ${issuerId}.` };
    }
    if (!listed.includes(keyId)) {
      return { ok: false, message: `The ${party}'s ${document} does not list ${keyId} for ${purpose}.` };
    }
    const { document: method } = await documentLoader(keyId);
    if (!isObject(method)) throw new Error(`the key ${keyId} is not described`);
    if (!isDid && method.controller !== issuerId) {
      return {
        ok: false,
        message: `The key document ${keyId} names ${String(method.controller)} as its controller, not the ${party} ${issuerId}.`,
      };
    }
    const jwk = await jwkOfMethod(method);
    if (embedded && !(await isSameKey(embedded, jwk))) {
      return { ok: false, message: `The JWT's "jwk" header is not the key its "kid" names (${keyId}).` };
    }
    return { ok: true, jwk, keyId, controller: issuerId };
  }

  // Without a kid, an https issuer's keys are looked for only in its own document: fetching every address it lists
  // to find a match would let one JWT send the verifier to any number of sites.
  const candidates = isDid ? listed : listed.filter((keyId) => keyId.split('#')[0] === issuerId);
  for (const keyId of candidates) {
    const jwk = await methodKey(documentLoader, keyId);
    if (await isSameKey(embedded!, jwk)) return { ok: true, jwk, keyId, controller: issuerId };
  }
  const elsewhere =
    candidates.length < listed.length
      ? ' (keys it lists at other addresses count only when the JWT names them in "kid")'
      : '';
  return {
    ok: false,
    message: `The JWT carries its own key ("jwk" header), but the ${party} ${issuerId} does not publish that key for ${purpose}${elsewhere}, so nothing ties it to the ${party}.`,
  };
}
