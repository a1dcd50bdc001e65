import { calculateJwkThumbprint, errors, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { JwtAlgorithm, PrivateJwk } from './credential-types.ts';

/** The algorithms that need a key of their own; EdDSA signs with the institution's Ed25519 key. */
export type SeparateKeyAlgorithm = Exclude<JwtAlgorithm, 'EdDSA'>;

/** A fresh VC-JWT key pair as JWKs: the public half is published, the private half sealed at rest. */
export interface JwtKeyPair {
  publicJwk: JWK;
  privateJwk: PrivateJwk;
}

/**
 * The VC-JWT algorithms an installation can sign with: a did:key names exactly one Ed25519 key, so ES256 and RS256
 * keys, published as JsonWebKey methods of the DID document, exist only under did:web.
 */
export function vcJwtAlgorithmsFor(didMethod: 'web' | 'key'): readonly JwtAlgorithm[] {
  return didMethod === 'web' ? ['EdDSA', 'ES256', 'RS256'] : ['EdDSA'];
}

// 2048-bit RSA is the floor NIST SP 800-57 sets for use beyond 2030 and what RS256 verifiers expect.
const RSA_MODULUS_BITS = 2048;

/** Generates an ES256 (P-256) or RS256 (RSA 2048) key pair through jose and WebCrypto. */
export async function generateJwtKeyPair(algorithm: SeparateKeyAlgorithm): Promise<JwtKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(algorithm, {
    extractable: true,
    ...(algorithm === 'RS256' ? { modulusLength: RSA_MODULUS_BITS } : {}),
  });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  return { publicJwk: publicJwkOf(publicJwk), privateJwk: privateJwk as PrivateJwk };
}

/**
 * The public half of a JWK, whatever else it carries (a private `d`, `kid`, `alg`, `use`): only the members a public
 * key of its type has, so nothing private is ever published by mistake.
 */
export function publicJwkOf(jwk: JWK): JWK {
  if (jwk.kty === 'RSA') return { kty: 'RSA', n: jwk.n, e: jwk.e };
  if (jwk.kty === 'EC') return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  if (jwk.kty === 'OKP') return { kty: 'OKP', crv: jwk.crv, x: jwk.x };
  throw new errors.JOSENotSupported(`Unsupported JWK key type ${String(jwk.kty)}.`);
}

/** RFC 7638 thumbprints of two public keys are equal exactly when the keys are. */
export async function isSameKey(a: JWK, b: JWK): Promise<boolean> {
  try {
    return (await calculateJwkThumbprint(publicJwkOf(a))) === (await calculateJwkThumbprint(publicJwkOf(b)));
  } catch (error) {
    // A JWK missing a required member (or of a type we do not take) is no key at all, so it matches nothing.
    if (error instanceof errors.JWKInvalid || error instanceof errors.JOSENotSupported) return false;
    throw error;
  }
}
