import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import { compactVerify } from 'jose';
import type { DocumentLoader } from '../credentials/document-loader.ts';
import type { ProofVerdict } from './check-data-integrity-proof.ts';
import { type BadgeJwt, isObject, type JsonObject } from './read-presented-badge.ts';

/** The id of a credential's issuer, whether given as a string or as a Profile object. */
export function issuerIdOf(credential: JsonObject): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  return isObject(issuer) && typeof issuer.id === 'string' ? issuer.id : undefined;
}

const seconds = (value: unknown): number | undefined =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value))
    ? Math.floor(Date.parse(value) / 1000)
    : undefined;

/** Which registered claims contradict the credential inside the JWT (OB 3.0 requires them to agree). */
function disagreeingClaims(jwt: BadgeJwt, credential: JsonObject, issuerId: string | undefined): string[] {
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

/** Whether a DID document lists a key for making assertions (ids may be relative, like `#key-1`). */
function authorizesAssertions(didDocument: unknown, did: string, keyId: string): boolean {
  if (!isObject(didDocument) || !Array.isArray(didDocument.assertionMethod)) return false;
  return didDocument.assertionMethod.some((entry: unknown) => {
    const id = typeof entry === 'string' ? entry : isObject(entry) ? entry.id : undefined;
    return id === keyId || (typeof id === 'string' && id.startsWith('#') && `${did}${id}` === keyId);
  });
}

/**
 * Verifies a VC-JWT's EdDSA signature with the key named in its `kid`, looked up in the issuer's DID
 * document (did:key locally, did:web through the resolver), and that its claims match the credential.
 */
export async function verifyJwtProof(
  jwt: BadgeJwt,
  credential: JsonObject,
  documentLoader: DocumentLoader,
): Promise<ProofVerdict> {
  const { alg, kid } = jwt.header;
  if (!alg || alg === 'none') return { status: 'failed', message: 'The JWT is not signed.' };
  if (alg !== 'EdDSA' && alg !== 'Ed25519') {
    return {
      status: 'skipped',
      message: `The JWT is signed with ${alg}; Stackable checks only EdDSA (Ed25519).`,
    };
  }
  const issuerId = issuerIdOf(credential);
  if (!issuerId) return { status: 'failed', message: 'The credential does not name its issuer.' };
  if (!kid) return { status: 'failed', message: 'The JWT does not say which key signed it (no "kid").' };
  const keyId = kid.startsWith('#') ? `${issuerId}${kid}` : kid;
  if (keyId.split('#')[0] !== issuerId) {
    return {
      status: 'failed',
      message: `The signing key ${keyId} does not belong to the issuer ${issuerId}.`,
    };
  }
  const disagreeing = disagreeingClaims(jwt, credential, issuerId);
  if (disagreeing.length > 0) {
    return {
      status: 'failed',
      message: `The JWT's ${disagreeing.join(', ')} claims disagree with the credential inside it.`,
    };
  }
  try {
    const { document: didDocument } = await documentLoader(issuerId);
    if (!authorizesAssertions(didDocument, issuerId, keyId)) {
      return {
        status: 'failed',
        message: `The issuer's DID document does not list ${keyId} for signing badges.`,
      };
    }
    const { document: method } = await documentLoader(keyId);
    if (!isObject(method)) throw new Error(`the key ${keyId} is not described`);
    const key = await Ed25519Multikey.from(method as Parameters<typeof Ed25519Multikey.from>[0]);
    const x = Buffer.from(key.publicKey).toString('base64url');
    await compactVerify(jwt.text, { kty: 'OKP', crv: 'Ed25519', x }, { algorithms: ['EdDSA', 'Ed25519'] });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/signature verification failed/i.test(detail)) {
      return {
        status: 'failed',
        message:
          'The signature does not match the contents: the badge was changed after it was signed, or signed with another key.',
      };
    }
    return { status: 'failed', message: `The issuer's public key could not be used: ${detail}` };
  }
  return {
    status: 'passed',
    message: `The EdDSA signature of the JWT is valid (key ${keyId}).`,
    signer: keyId.split('#')[0],
  };
}
