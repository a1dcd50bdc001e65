/**
 * VC-JWT signing with Node's own crypto and a key object made once: the same compact JWT as signCredentialJwt (jose).
 * EdDSA and RS256 (PKCS #1 v1.5) are deterministic, so the bytes are identical; ES256 signatures are randomized, so
 * only the signing input is, and jose verifies the result. Both serialize header and payload with JSON.stringify in
 * the same field order. jose imports the JWK on every call, which costs more than the signature itself; a bulk run
 * signs thousands.
 */
import { createPrivateKey, type KeyObject, sign as signBytes } from 'node:crypto';
import { jwtHeaderFor, jwtPayloadFor } from '../credential-jwt.ts';
import type { JwtAlgorithm, JwtSigningKey, UnsignedOpenBadgeCredential } from '../credential-types.ts';
import { assertSignableBy, assertValidBadge } from '../validate-credential.ts';

export interface FastJwtSigner {
  /** Signs as signCredentialJwt does, with the same refusals (foreign issuer, schema problems). */
  sign(unsigned: UnsignedOpenBadgeCredential): Promise<string>;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Signs the JWS signing input as RFC 7518 asks for each algorithm (ES256: the raw r || s pair, not DER). */
function signatureOf(algorithm: JwtAlgorithm, input: Buffer, key: KeyObject): Buffer {
  if (algorithm === 'EdDSA') return signBytes(null, input, key);
  if (algorithm === 'ES256') return signBytes('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
  return signBytes('sha256', input, key);
}

/** A JWT signer for one key, whose private JWK is imported once. */
export function createFastJwtSigner(key: JwtSigningKey): FastJwtSigner {
  const header = base64url(jwtHeaderFor(key));
  const privateKey = createPrivateKey({ key: { ...key.privateJwk }, format: 'jwk' });

  const sign = async (unsigned: UnsignedOpenBadgeCredential): Promise<string> => {
    assertSignableBy(unsigned, key.did);
    assertValidBadge(unsigned);
    const input = `${header}.${base64url(jwtPayloadFor(unsigned))}`;
    const signature = signatureOf(key.algorithm, Buffer.from(input, 'ascii'), privateKey);
    return `${input}.${signature.toString('base64url')}`;
  };

  return { sign };
}
