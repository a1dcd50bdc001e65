import { compactVerify, errors, importJWK, type JWK } from 'jose';
import type { DocumentLoader } from '../credentials/document-loader.ts';
import { formatMoment } from '../platform/http/moment.ts';
import { wordFor } from '../platform/words.ts';
import type { ProofVerdict } from './check-data-integrity-proof.ts';
import { type BadgeJwt, isObject, type JsonObject } from './read-presented-badge.ts';
import { type FetchKeyDocument, withRemoteKeys } from './remote-key-loader.ts';
import { resolveJwtKey } from './resolve-jwt-key.ts';

/** The id of a credential's issuer, whether given as a string or as a Profile object. */
export function issuerIdOf(credential: JsonObject): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  return isObject(issuer) && typeof issuer.id === 'string' ? issuer.id : undefined;
}

/** The JWS algorithms Stackable verifies (it signs with EdDSA, ES256 and RS256 only). */
export type VerifiedJwtAlgorithm = 'EdDSA' | 'ES256' | 'ES384' | 'RS256';

/**
 * The JWS algorithms accepted, each with the algorithm its key must serve. `Ed25519` is the fully specified name
 * RFC 9864 gives EdDSA over Ed25519. ES384 (P-384) is there because VC-JOSE-COSE's test suite and other issuers sign
 * with it. Nothing else is taken: `none` signs nothing, and an HMAC algorithm (HS256) would let anyone who has the
 * issuer's public key "sign" with it as a shared secret.
 */
export const ACCEPTED_ALGORITHMS: Record<string, VerifiedJwtAlgorithm> = {
  EdDSA: 'EdDSA',
  Ed25519: 'EdDSA',
  ES256: 'ES256',
  ES384: 'ES384',
  RS256: 'RS256',
};

/** How messages list the accepted algorithms. */
export const ACCEPTED_ALGORITHM_NAMES = 'EdDSA, ES256, ES384 and RS256';

/** The algorithm a public key can verify, or null for a key type Stackable does not take. */
export function algorithmOfKey(jwk: JWK): VerifiedJwtAlgorithm | null {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'RSA') return 'RS256';
  return null;
}

// `typ` is a media type whose "application/" may be left out, compared without regard to case (RFC 7515, 4.1.9).
// vc+ld+jwt is the type VC-JOSE-COSE's drafts used; JWT is what VC-JWT 1.1 issuers wrote, taken only in that form.
const CURRENT_TYPES = ['vc+jwt', 'vc+ld+jwt'];
const LEGACY_TYPES = [...CURRENT_TYPES, 'jwt'];
// Issuers and verifiers disagree by a few seconds; a minute is the usual allowance for nbf and exp.
const CLOCK_TOLERANCE_SECONDS = 60;

const FORM_NOTE = {
  current: 'It is in the current VC-JOSE-COSE form: the JWT payload is the credential itself.',
  legacy:
    'It is in the legacy VC-JWT 1.1 form, with the credential inside a "vc" claim; the current standard (VC-JOSE-COSE) puts the credential itself in the payload.',
};

const seconds = (value: unknown): number | undefined =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value))
    ? Math.floor(Date.parse(value) / 1000)
    : undefined;

/** Which registered claims contradict the credential (VC-JOSE-COSE and OB 3.0 require them to agree). */
function disagreeingClaims(jwt: BadgeJwt, credential: JsonObject, issuerId: string): string[] {
  const { payload } = jwt;
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const pairs: [string, unknown, unknown][] = [
    ['iss', payload.iss, issuerId],
    ['jti', payload.jti, credential.id],
    ['sub', payload.sub, subject.id],
    ['nbf', payload.nbf, seconds(credential.validFrom)],
    ['exp', payload.exp, seconds(credential.validUntil)],
  ];
  return pairs
    .filter(([, claim, value]) => claim !== undefined && value !== undefined && claim !== value)
    .map(([name]) => name);
}

/** What the header says before any key is looked up: a refusal, or null when it may be checked. */
function headerProblem(jwt: BadgeJwt): string | null {
  const { alg, typ } = jwt.header;
  if (!alg || alg === 'none') return 'The JWT is not signed (its algorithm is "none").';
  if (!ACCEPTED_ALGORITHMS[alg]) {
    return `The JWT is signed with ${alg}, which Stackable does not accept: only ${ACCEPTED_ALGORITHM_NAMES} signatures prove who issued a badge.`;
  }
  if (!typ) {
    return 'The JWT header does not say what it carries (no "typ"); a VC-JWT is typed vc+jwt, so it could be a token made for something else.';
  }
  const type = typ.toLowerCase().replace(/^application\//, '');
  if (!(jwt.form === 'current' ? CURRENT_TYPES : LEGACY_TYPES).includes(type)) {
    return `The JWT is typed "${typ}", not vc+jwt, so it is not presented as a verifiable credential.`;
  }
  return null;
}

/**
 * VC-JOSE-COSE forbids the `vc` and `vp` claims in a secured credential: a payload that is the credential and also
 * carries one of them mixes the current form with VC-JWT 1.1's, and what a verifier reads from it would depend on
 * which claim it looked at. The legacy form may hold its credential in `vc`, but never a `vp` as well.
 */
function claimsProblem(jwt: BadgeJwt): string | null {
  const forbidden = ['vc', 'vp'].filter(
    (claim) => claim in jwt.payload && !(jwt.form === 'legacy' && claim === 'vc'),
  );
  if (forbidden.length === 0) return null;
  const names = forbidden.map((claim) => `"${claim}"`).join(' and ');
  return `The JWT carries ${names} ${wordFor(forbidden.length, 'claim')} beside the credential, which VC-JOSE-COSE forbids in a secured credential.`;
}

/**
 * The exp and nbf claims against the moment of checking: a JWT outside them must not be accepted (RFC 7519). They
 * are the JWT's validity dates, so the dates check judges them beside validFrom and validUntil, as for any
 * credential; the signature check does not (an expired badge still has a valid signature).
 */
export function jwtTimeProblem(jwt: Pick<BadgeJwt, 'payload'>, now: Date, timeZone = 'UTC'): string | null {
  const at = Math.floor(now.getTime() / 1000);
  const { exp, nbf } = jwt.payload;
  if (typeof exp === 'number' && exp + CLOCK_TOLERANCE_SECONDS <= at) {
    return `The JWT expired on ${formatMoment(new Date(exp * 1000), timeZone)} (its "exp" claim), so its signature no longer vouches for the badge.`;
  }
  if (typeof nbf === 'number' && nbf - CLOCK_TOLERANCE_SECONDS > at) {
    return `The JWT is not valid before ${formatMoment(new Date(nbf * 1000), timeZone)} (its "nbf" claim).`;
  }
  return null;
}

/**
 * The loader a JWT's key is found with. An issuer whose id is an https address publishes its keys there (OB 3.0 §8);
 * only that address and the `kid` are ever fetched, and only when the network is allowed (`fetchKeyDocument`).
 */
function jwtKeyLoader(
  jwt: BadgeJwt,
  issuerId: string,
  documentLoader: DocumentLoader,
  fetchKeyDocument?: FetchKeyDocument,
): DocumentLoader {
  if (!issuerId.startsWith('https://')) return documentLoader;
  const { kid } = jwt.header;
  const keyId = kid?.startsWith('#') ? `${issuerId}${kid}` : kid;
  return withRemoteKeys(documentLoader, keyId ? [issuerId, keyId] : [issuerId], fetchKeyDocument);
}

/**
 * Verifies a VC-JWT (the current VC-JOSE-COSE form or the legacy `vc` claim): the header (algorithm, type), that
 * its claims match the credential, and its EdDSA, ES256, ES384 or RS256 signature with the issuer's key (see
 * resolveJwtKey for which keys count as the issuer's). The algorithm must fit the key: an RSA key never checks an
 * EdDSA signature, nor any key an HMAC one.
 */
export async function verifyJwtProof(
  jwt: BadgeJwt,
  credential: JsonObject,
  documentLoader: DocumentLoader,
  fetchKeyDocument?: FetchKeyDocument,
): Promise<ProofVerdict> {
  const refused = headerProblem(jwt) ?? claimsProblem(jwt);
  if (refused) return { status: 'failed', message: refused };
  const alg = jwt.header.alg!;
  const issuerId = issuerIdOf(credential);
  if (!issuerId) return { status: 'failed', message: 'The credential does not name its issuer.' };
  const disagreeing = disagreeingClaims(jwt, credential, issuerId);
  if (disagreeing.length > 0) {
    return {
      status: 'failed',
      message: `The JWT's ${disagreeing.join(', ')} claims disagree with the credential it carries.`,
    };
  }
  if (issuerId.startsWith('https://') && !fetchKeyDocument) {
    return {
      status: 'failed',
      message: `The issuer ${issuerId} publishes its keys at its https address, and this server fetches other sites' keys only when the network is allowed.`,
    };
  }
  let keyId: string;
  let signer: string;
  try {
    const loader = jwtKeyLoader(jwt, issuerId, documentLoader, fetchKeyDocument);
    const resolved = await resolveJwtKey(jwt.header, issuerId, loader);
    if (!resolved.ok) return { status: 'failed', message: resolved.message };
    keyId = resolved.keyId;
    signer = resolved.controller;
    const keyAlgorithm = algorithmOfKey(resolved.jwk);
    if (keyAlgorithm !== ACCEPTED_ALGORITHMS[alg]) {
      return {
        status: 'failed',
        message: `The JWT says it is signed with ${alg}, but the issuer's key ${keyId} is ${keyAlgorithm ? `an ${keyAlgorithm} key` : 'of another kind'}; a signature is only checked with the algorithm its key was made for.`,
      };
    }
    await compactVerify(jwt.text, await importJWK(resolved.jwk, alg), { algorithms: [alg] });
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return {
        status: 'failed',
        message:
          'The signature does not match the contents: the badge was changed after it was signed, or signed with another key.',
      };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 'failed', message: `The issuer's public key could not be used: ${detail}` };
  }
  return {
    status: 'passed',
    message: `The ${alg} signature of the VC-JWT is valid (key ${keyId}). ${FORM_NOTE[jwt.form]}`,
    signer,
  };
}
