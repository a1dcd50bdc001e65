import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import type { DocumentLoader } from '../credentials/document-loader.ts';
import { HOLDER_KEY, resolveJwtKey } from '../verification/resolve-jwt-key.ts';

/** The JWT proof type of OpenID for Verifiable Credential Issuance 1.0 (Appendix F.1). */
export const PROOF_JWT_TYPE = 'openid4vci-proof+jwt';
/** How far a proof's `iat` may lie from our clock, either way. */
const IAT_TOLERANCE_SECONDS = 300;

/** The DID a key proof showed the wallet holds, or why the proof is refused. */
export type KeyProofResult =
  | { ok: true; holderDid: string }
  | { ok: false; error: 'invalid_proof' | 'invalid_nonce'; description: string };

const refused = (description: string): KeyProofResult => ({ ok: false, error: 'invalid_proof', description });

/**
 * Checks a wallet's JWT key proof: typed `openid4vci-proof+jwt`, signed with EdDSA by a did:key key the DID lists
 * for authentication (named by `kid`, a DID URL), addressed to us (`aud`), recent (`iat`), and carrying one of
 * our fresh nonces. The credential is then bound to that DID. Bad input never throws.
 */
export async function checkKeyProof(
  jwt: unknown,
  expected: { audience: string; isFreshNonce: (nonce: unknown) => boolean; now: Date },
  documentLoader: DocumentLoader,
): Promise<KeyProofResult> {
  if (typeof jwt !== 'string' || jwt.length > 8000) return refused('The proof is not a compact JWT.');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    return refused('The proof is not a compact JWT.');
  }
  if (header.typ !== PROOF_JWT_TYPE) return refused(`The proof's "typ" must be ${PROOF_JWT_TYPE}.`);
  if (header.alg !== 'EdDSA') return refused('The proof must be signed with EdDSA (an Ed25519 did:key).');
  if (header.jwk || header.x5c || header.trust_chain) {
    return refused('The proof must name its key by "kid" alone: the credential is bound to a DID.');
  }
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const holderDid = kid.split('#')[0] ?? '';
  if (!/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/.test(holderDid) || !kid.includes('#')) {
    return refused('The proof\'s "kid" must be a did:key DID URL (did:key:z…#z…).');
  }
  let resolved: Awaited<ReturnType<typeof resolveJwtKey>>;
  try {
    resolved = await resolveJwtKey(header, holderDid, documentLoader, HOLDER_KEY);
  } catch (error) {
    return refused(`The proof's key could not be read: ${error instanceof Error ? error.message : error}`);
  }
  if (!resolved.ok) return refused(resolved.message);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, await importJWK(resolved.jwk, 'EdDSA'), {
      algorithms: ['EdDSA'],
      typ: PROOF_JWT_TYPE,
      audience: expected.audience,
      currentDate: expected.now,
    }));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/aud/i.test(detail))
      return refused(`The proof is addressed to someone else, not ${expected.audience}.`);
    return refused(`The proof's signature or claims do not hold: ${detail}`);
  }
  const iat = typeof payload.iat === 'number' ? payload.iat : Number.NaN;
  if (!Number.isFinite(iat) || Math.abs(iat - expected.now.getTime() / 1000) > IAT_TOLERANCE_SECONDS) {
    return refused('The proof must carry "iat", the moment it was made, within five minutes of now.');
  }
  if (!expected.isFreshNonce(payload.nonce)) {
    return {
      ok: false,
      error: 'invalid_nonce',
      description: 'The proof does not carry a fresh c_nonce from our nonce endpoint; ask it for a new one.',
    };
  }
  return { ok: true, holderDid };
}
