/**
 * Checks the eddsa-rdfc-2022 signature of a credential Stackable issued itself, without the JSON-LD
 * signature libraries: the issuer's keys are known, so there is no DID to resolve, and the canonical
 * form comes from the template cache (canonicalizer.ts). Anything not signed by one of the given keys
 * is answered `not-ours`, for the full verifier in src/verification to handle.
 *
 * It answers the same question as the library's proof check for our keys: one DataIntegrityProof with
 * cryptosuite eddsa-rdfc-2022, purpose assertionMethod, made by a key of the issuer's DID, whose
 * signature covers the canonical proof options and document. Dates, status and schema are separate
 * checks and are not made here.
 */
import { createPublicKey, type KeyObject, verify as verifyBytes } from 'node:crypto';
import { decodeBase58btc } from './base58btc.ts';
import { type Canonicalizer, createCanonicalizer } from './canonicalizer.ts';
import {
  DATA_INTEGRITY_PROOF,
  EDDSA_RDFC_2022,
  ProofOptionsHashes,
  proofSigningInput,
  proofSigningInputIfReady,
} from './proof-data.ts';

/** A public key the installation signs with (current or rotated), as published in its DID document. */
export interface TrustedKey {
  did: string;
  keyId: string;
  /** Multibase (z6Mk…) Ed25519 public key. */
  publicKeyMultibase: string;
}

export type FastVerdict =
  | { status: 'valid'; verificationMethod: string; message: string }
  | { status: 'invalid'; message: string }
  /** Not a proof by one of the trusted keys (or not one proof): use the full verifier. */
  | { status: 'not-ours'; message: string };

export interface FastVerifier {
  verify(credential: unknown): Promise<FastVerdict>;
}

// The Data Integrity library requires `created` and `expires` to contain an XML Schema dateTime; its
// test is not anchored, so neither is this one (a year, month, day, time and optional zone).
const XSD_DATE_TIME = new RegExp(
  [
    '-?(?:[1-9]\\d{3,}|0\\d{3})',
    '-(?:0[1-9]|1[0-2])',
    '-(?:0[1-9]|[12]\\d|3[01])',
    'T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d|24:00:00)',
  ].join(''),
);

const ED25519_PUBLIC_PREFIX = [0xed, 0x01];

/** An Ed25519 public key object from its multibase form; throws when it is not one. */
export function publicKeyFromMultibase(multibase: string): KeyObject {
  if (!multibase.startsWith('z')) throw new Error('A public key must be base58btc multibase (z…).');
  const bytes = decodeBase58btc(multibase.slice(1));
  if (bytes.length !== 34 || bytes[0] !== ED25519_PUBLIC_PREFIX[0] || bytes[1] !== ED25519_PUBLIC_PREFIX[1]) {
    throw new Error('Not an Ed25519 public key.');
  }
  const x = Buffer.from(bytes.subarray(2)).toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** Creates a verifier for credentials signed by `keys`. */
export function createFastVerifier(
  keys: readonly TrustedKey[],
  options: { canonicalizer?: Canonicalizer } = {},
): FastVerifier {
  const canonicalizer = options.canonicalizer ?? createCanonicalizer();
  // Badges issued in one batch share their proof options (same key, same second).
  const recentProofOptions = new ProofOptionsHashes(64);
  const byMethod = new Map(
    keys.map((key) => [
      `${key.did}#${key.keyId}`,
      { did: key.did, publicKey: publicKeyFromMultibase(key.publicKeyMultibase) },
    ]),
  );

  const verify = async (credential: unknown): Promise<FastVerdict> => {
    if (credential === null || typeof credential !== 'object' || Array.isArray(credential)) {
      return { status: 'not-ours', message: 'It is not a JSON-LD credential.' };
    }
    const { proof: proofs, ...document } = credential as Record<string, unknown>;
    const list = Array.isArray(proofs) ? proofs : [proofs];
    const proof = list[0] as Record<string, unknown> | undefined;
    if (list.length !== 1 || proof === null || typeof proof !== 'object') {
      return { status: 'not-ours', message: 'It does not carry exactly one proof.' };
    }
    if (proof.type !== DATA_INTEGRITY_PROOF || proof.cryptosuite !== EDDSA_RDFC_2022) {
      return { status: 'not-ours', message: 'Its proof is not an eddsa-rdfc-2022 Data Integrity proof.' };
    }
    const method = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : '';
    const key = byMethod.get(method);
    if (!key) return { status: 'not-ours', message: `It was not signed with one of our keys (${method}).` };

    if (proof.proofPurpose !== 'assertionMethod') {
      return { status: 'invalid', message: 'Its proof is not for asserting a credential.' };
    }
    const issuer = document.issuer;
    const issuerId = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | null)?.id;
    if (issuerId !== key.did) {
      return { status: 'invalid', message: 'The signing key does not belong to the issuer named in it.' };
    }
    for (const field of ['created', 'expires'] as const) {
      const value = proof[field];
      if (value !== undefined && !(typeof value === 'string' && XSD_DATE_TIME.test(value))) {
        return { status: 'invalid', message: `Its proof's ${field} time is not a valid timestamp.` };
      }
    }
    const signature = decodeProofValue(proof.proofValue);
    if (!signature) return { status: 'invalid', message: 'Its proof value is missing or unreadable.' };

    let data: Buffer;
    try {
      data =
        proofSigningInputIfReady(canonicalizer, document, proof, recentProofOptions) ??
        (await proofSigningInput(canonicalizer, document, proof, recentProofOptions));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { status: 'invalid', message: `It contains data its signature cannot cover (${detail}).` };
    }
    if (!verifyBytes(null, data, key.publicKey, signature)) {
      return {
        status: 'invalid',
        message: 'The signature does not match the contents: it was changed after it was signed.',
      };
    }
    return {
      status: 'valid',
      verificationMethod: method,
      message: `The signature is valid (key ${method}).`,
    };
  };

  return { verify };
}

/** Multibase proof values: base58btc (z…) as we write them, or base64url (u…) as the suite also reads. */
function decodeProofValue(value: unknown): Buffer | null {
  if (typeof value !== 'string' || value.length < 2) return null;
  try {
    if (value[0] === 'z') return Buffer.from(decodeBase58btc(value.slice(1)));
    if (value[0] === 'u') return Buffer.from(value.slice(1), 'base64url');
  } catch {
    return null;
  }
  return null;
}

const shared = createCanonicalizer();

/**
 * One-off form of createFastVerifier: checks the signature of `credential` against the installation's
 * own `keys`, sharing one template cache across calls. Prefer createFastVerifier for many credentials.
 */
export function verifyOwnCredentialFast(
  credential: unknown,
  keys: readonly TrustedKey[],
): Promise<FastVerdict> {
  return createFastVerifier(keys, { canonicalizer: shared }).verify(credential);
}
