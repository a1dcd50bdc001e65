import { SignJWT } from 'jose';
import type { SigningKey, UnsignedOpenBadgeCredential } from './credential-types.ts';
import { prepareSigner } from './prepared-signer.ts';
import { assertSignableBy, assertValidBadge } from './validate-credential.ts';

/** The registered JWT claims OB 3.0 derives from a credential (VC-JWT, section 8.2 of the spec). */
export interface CredentialJwtClaims {
  iss: string;
  jti: string;
  sub?: string;
  nbf: number;
  exp?: number;
}

const toSeconds = (dateTime: string): number => Math.floor(Date.parse(dateTime) / 1000);

/** Maps issuer, id, subject and validity dates of a credential to JWT claims. */
export function jwtClaimsFor(credential: UnsignedOpenBadgeCredential): CredentialJwtClaims {
  const claims: CredentialJwtClaims = {
    iss: credential.issuer.id,
    jti: credential.id,
    nbf: toSeconds(credential.validFrom),
  };
  if (credential.credentialSubject.id) claims.sub = credential.credentialSubject.id;
  if (credential.validUntil) claims.exp = toSeconds(credential.validUntil);
  return claims;
}

/**
 * Signs a credential as a compact VC-JWT: header `{alg: EdDSA, typ: JWT, kid}`, the claims above and the
 * unsigned credential under `vc`. Refuses a credential that fails the OB 3.0 schema, as JSON-LD signing does.
 */
export async function signCredentialJwt(
  unsigned: UnsignedOpenBadgeCredential,
  key: SigningKey,
): Promise<string> {
  assertSignableBy(unsigned, key.did);
  assertValidBadge(unsigned);
  const { privateJwk, verificationMethod } = await prepareSigner(key);
  return new SignJWT({ ...jwtClaimsFor(unsigned), vc: unsigned })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: verificationMethod })
    .sign(privateJwk);
}
