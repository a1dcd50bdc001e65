import * as vc from '@digitalcredentials/vc';
import type { DocumentLoader } from '../credentials/document-loader.ts';
import { isOwnSideFailure } from './own-side-failure.ts';
import { eddsaVerifySuite, loadEd25519Signature2020Suite } from './proof-suites.ts';
import { isObject, type JsonObject } from './read-presented-badge.ts';
import type { CheckStatus, VerifierDeps } from './verification-types.ts';

export interface ProofVerdict {
  status: CheckStatus;
  message: string;
  /** On a valid signature: the DID that controls the key that made it (the part of the key id before `#`). */
  signer?: string;
}

const EDDSA = 'eddsa-rdfc-2022';
const ED25519_2020 = 'Ed25519Signature2020';

const signerOf = (proofs: JsonObject[]): string =>
  proofs.map((proof) => String(proof.verificationMethod ?? '')).find(Boolean) ?? 'its issuer';

/**
 * The one DID whose keys made the proofs; undefined when they name none or several, for then no single signer
 * can be named (issuer trust treats that as unverified).
 */
function signerDidOf(proofs: JsonObject[]): string | undefined {
  const dids = new Set(
    proofs.map((proof) =>
      typeof proof.verificationMethod === 'string' ? proof.verificationMethod.split('#')[0] : '',
    ),
  );
  const [did] = [...dids];
  return dids.size === 1 && did ? did : undefined;
}

/** Human name of a proof's signature method, e.g. `eddsa-rdfc-2022`. */
function methodOf(proof: JsonObject): string {
  if (proof.type === 'DataIntegrityProof')
    return String(proof.cryptosuite ?? 'DataIntegrityProof (no cryptosuite)');
  return String(proof.type ?? 'an untyped proof');
}

/**
 * Verifies the embedded Data Integrity proof of a JSON-LD document (a badge or a status list), including
 * that the signing key belongs to the document's issuer and is listed for assertions in its DID document.
 * Dates and status are left to their own checks. Throws only a failure of our own side (see own-side-failure.ts).
 */
export async function verifyDataIntegrityProof(
  document: JsonObject,
  documentLoader: DocumentLoader,
  checkOwnProof?: VerifierDeps['checkOwnProof'],
): Promise<ProofVerdict> {
  const proofs = (Array.isArray(document.proof) ? document.proof : [document.proof]).filter(isObject);
  if (proofs.length === 0) return { status: 'failed', message: 'It has no digital signature.' };

  const methods = proofs.map(methodOf);
  // Our own signatures are checked without the JSON-LD libraries; only a valid one is taken from there. When the
  // fast check cannot read the document the full check decides, but our own side failing decides nothing.
  const fast = await checkOwnProof?.(document).catch((error: unknown) => {
    if (isOwnSideFailure(error)) throw error;
    return null;
  });
  if (fast?.status === 'valid') {
    return {
      status: 'passed',
      message: `The ${methods[0]} signature is valid (key ${signerOf(proofs)}).`,
      signer: signerDidOf(proofs),
    };
  }
  const suites: object[] = [];
  if (methods.includes(EDDSA)) suites.push(eddsaVerifySuite);
  if (methods.includes(ED25519_2020)) {
    const legacy = await loadEd25519Signature2020Suite();
    if (legacy) suites.push(legacy);
  }
  if (suites.length === 0) {
    const reason = methods.includes(ED25519_2020)
      ? 'the Ed25519Signature2020 library is not installed on this server'
      : `Stackable checks ${EDDSA} and ${ED25519_2020} signatures, not ${methods.join(', ')}`;
    return { status: 'skipped', message: `Its signature could not be checked: ${reason}.` };
  }

  let result: vc.VerifyCredentialResult;
  try {
    result = await vc.verifyCredential({
      // The suite caches by object identity, so every verification gets its own copy.
      credential: structuredClone(document),
      suite: suites,
      documentLoader,
      // Status is checked separately (with our own fetcher), so the library's hook only has to agree.
      checkStatus: async () => ({ verified: true }),
      now: momentInsideValidity(document),
    });
  } catch (error) {
    return { status: 'failed', message: explain(error) };
  }
  // The library goes on to judge dates after the signature; a date failure still logs a valid signature.
  const log = result.log ?? result.error?.log ?? [];
  if (log.some((entry) => entry.id === 'valid_signature' && entry.valid)) {
    return {
      status: 'passed',
      message: `The ${methods[0]} signature is valid (key ${signerOf(proofs)}).`,
      signer: signerDidOf(proofs),
    };
  }
  return { status: 'failed', message: explain(result.error?.errors?.[0] ?? result.error) };
}

/**
 * The library also judges validity dates, and a badge that is not valid yet makes it throw without
 * saying whether the signature held. Dates have their own check, so the library is asked about the
 * moment the badge became valid, where its date rules cannot object.
 */
function momentInsideValidity(document: JsonObject): Date | undefined {
  const start = document.validFrom ?? document.issuanceDate;
  if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) return undefined;
  return new Date(start);
}

/** Turns a library error into a plain sentence about what went wrong. */
function explain(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error ?? 'unknown error');
  if (/invalid signature/i.test(detail)) {
    return 'The signature does not match the contents: the badge was changed after it was signed, or signed with another key.';
  }
  if (/safe mode|undefined term|relative .*IRI|invalid.*@/i.test(detail)) {
    return `The badge contains data its signature cannot cover, a sign it was altered (${detail}).`;
  }
  if (/could not be resolved|has no key|refused to load|unsupported did|did:key/i.test(detail)) {
    return `The issuer's public key could not be found: ${detail}`;
  }
  if (/not authorized by controller|must match the verification method controller/i.test(detail)) {
    return 'The signing key does not belong to the issuer named in the badge.';
  }
  if (/no matching proofs/i.test(detail)) {
    return 'The signature is not of a kind that can prove who issued this badge.';
  }
  return `The signature could not be checked: ${detail}`;
}
