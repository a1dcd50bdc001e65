import { SignJWT } from 'jose';
import type {
  EnvelopedVerifiableCredential,
  JwtSigningKey,
  SigningKey,
  UnsignedOpenBadgeCredential,
} from './credential-types.ts';
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

/**
 * The protected header every VC-JWT of ours carries, after `alg`. VC-JOSE-COSE 1.0 (W3C Recommendation) says `typ`
 * SHOULD be `vc+jwt` (the media type application/vc+jwt without its prefix) and `cty`, when present, SHOULD be `vc`;
 * the `vc+ld+jwt` / `vc+ld+json` pair belongs to its drafts. We send both, so a reader never has to guess.
 */
export const VC_JWT_TYPE = 'vc+jwt';
export const VC_JWT_CONTENT_TYPE = 'vc';

const toSeconds = (dateTime: string): number => Math.floor(Date.parse(dateTime) / 1000);

/**
 * Maps issuer, id, subject and validity dates of a credential to JWT claims. `sub` is there only when the subject
 * has an `id` (a learner DID): a subject known only by a hashed e-mail has no identifier that VC-JOSE-COSE would let
 * `sub` carry (it must equal credentialSubject.id), and putting the hash there would hand every relying party a
 * correlatable value outside the credential's own rules for it.
 */
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
 * The JWT payload: the credential itself (VC-JOSE-COSE forbids the VC 1.1 `vc` claim), preceded by the registered
 * claims OB 3.0 section 8 asks for, which repeat what the credential says.
 */
export function jwtPayloadFor(credential: UnsignedOpenBadgeCredential): Record<string, unknown> {
  return { ...jwtClaimsFor(credential), ...credential };
}

/** The protected header, field order fixed so the fast signer can write the same bytes. */
export function jwtHeaderFor(key: Pick<JwtSigningKey, 'algorithm' | 'kid'>) {
  return { alg: key.algorithm, typ: VC_JWT_TYPE, cty: VC_JWT_CONTENT_TYPE, kid: key.kid };
}

/** The EdDSA VC-JWT key of an Ed25519 signing key: the same key and verification method as its Data Integrity proofs. */
export async function eddsaJwtKey(key: SigningKey): Promise<JwtSigningKey> {
  const { privateJwk, verificationMethod } = await prepareSigner(key);
  return { algorithm: 'EdDSA', did: key.did, kid: verificationMethod, privateJwk: { ...privateJwk } };
}

const isJwtKey = (key: SigningKey | JwtSigningKey): key is JwtSigningKey => 'privateJwk' in key;

/**
 * Signs a credential as a compact VC-JWT in the VC-JOSE-COSE form: header `{alg, typ: vc+jwt, cty: vc, kid}`, payload
 * the credential with its registered claims. An Ed25519 signing key signs with EdDSA. Refuses a credential that
 * fails the OB 3.0 schema, as JSON-LD signing does.
 */
export async function signCredentialJwt(
  unsigned: UnsignedOpenBadgeCredential,
  key: SigningKey | JwtSigningKey,
): Promise<string> {
  const jwtKey = isJwtKey(key) ? key : await eddsaJwtKey(key);
  assertSignableBy(unsigned, jwtKey.did);
  assertValidBadge(unsigned);
  return new SignJWT(jwtPayloadFor(unsigned))
    .setProtectedHeader(jwtHeaderFor(jwtKey))
    .sign(jwtKey.privateJwk as Parameters<SignJWT['sign']>[0]);
}

/** Wraps a compact VC-JWT as an EnvelopedVerifiableCredential (the JWT is base64url text, so it needs no escaping). */
export function envelopeJwt(jwt: string): EnvelopedVerifiableCredential {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `data:application/vc+jwt,${jwt}`,
    type: 'EnvelopedVerifiableCredential',
  };
}
