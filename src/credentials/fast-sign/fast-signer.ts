/**
 * The fast way to sign Open Badges: the same eddsa-rdfc-2022 proofs as signCredential (byte for byte,
 * given the same `created` time), with canonicalization from cached templates (canonicalizer.ts) and
 * Node's own Ed25519 instead of the JSON-LD signature libraries.
 */
import { createPrivateKey, type KeyObject, sign as signBytes } from 'node:crypto';
import type {
  DataIntegrityProofValue,
  SignedOpenBadgeCredential,
  SigningKey,
  UnsignedOpenBadgeCredential,
} from '../credential-types.ts';
import { prepareSigner } from '../prepared-signer.ts';
import { assertSignableBy, assertValidBadge } from '../validate-credential.ts';
import { encodeBase58btc } from './base58btc.ts';
import { type Canonicalizer, createCanonicalizer } from './canonicalizer.ts';
import { copyJson } from './copy-json.ts';
import {
  DATA_INTEGRITY_PROOF,
  EDDSA_RDFC_2022,
  ProofOptionsHashes,
  proofSigningInput,
  proofTimestamp,
} from './proof-data.ts';
import { sha256Latin1 } from './sha256.ts';
import { readShape } from './shape-code.ts';

export interface FastSigner {
  /** `<did>#<keyId>` of the signing key. */
  readonly verificationMethod: string;
  /**
   * Signs one OpenBadgeCredential, as signCredential does: refuses a credential that breaks the OB 3.0
   * schema (VALIDATION_FAILED with field problems), whose issuer is not the key's DID, or that is
   * already signed; returns a copy with a one-element `proof` array.
   */
  sign(unsigned: UnsignedOpenBadgeCredential): Promise<SignedOpenBadgeCredential>;
}

export interface FastSignerOptions {
  /** When the proof is made (its `created`); defaults to the system clock. */
  now?: () => Date;
  /** Shared template cache; by default the signer has its own. */
  canonicalizer?: Canonicalizer;
}

/**
 * Creates a signer for one key. The key is checked (its halves must match) on the first signature,
 * through the same prepareSigner cache signCredential uses.
 */
export function createFastSigner(key: SigningKey, options: FastSignerOptions = {}): FastSigner {
  const now = options.now ?? (() => new Date());
  const canonicalizer = options.canonicalizer ?? createCanonicalizer();
  const verificationMethod = `${key.did}#${key.keyId}`;
  const recentProofOptions = new ProofOptionsHashes();
  // A signer's proof options differ only in the document's context and the `created` second, so the hash
  // of the last ones is kept with those two (a copy of the context: the signed document is the caller's).
  let lastOptions: { context: unknown; created: string; hash: Buffer } | undefined;
  // `created` has whole seconds, so its text is written once a second rather than per signature.
  let createdSecond = Number.NaN;
  let createdText = '';
  const createdAt = (date: Date): string => {
    const second = Math.floor(date.getTime() / 1000);
    if (second !== createdSecond) {
      createdText = proofTimestamp(date);
      createdSecond = second;
    }
    return createdText;
  };
  // The 64 bytes signed, reused: they are written and signed without a pause in between.
  const signedBytes = Buffer.alloc(64);
  let privateKey: Promise<KeyObject> | undefined;
  // The key once loaded, so a signature need not wait for a promise.
  let readyKey: KeyObject | undefined;
  const loadKey = (): Promise<KeyObject> => {
    if (!privateKey) {
      privateKey = prepareSigner(key).then((prepared) => {
        readyKey = createPrivateKey({ key: { ...prepared.privateJwk }, format: 'jwk' });
        return readyKey;
      });
      // A key that failed to load is tried again on the next signature.
      privateKey.catch(() => {
        privateKey = undefined;
      });
    }
    return privateKey;
  };

  const sign = async (unsigned: UnsignedOpenBadgeCredential): Promise<SignedOpenBadgeCredential> => {
    assertSignableBy(unsigned, key.did);
    assertValidBadge(unsigned);
    // What is signed is the copy that is returned, so a caller changing its object later changes neither.
    // A usual badge is copied and read for canonicalization in one walk, from the same reads.
    const reading = readShape(unsigned, true);
    const document = (reading?.copy ?? copyJson(unsigned)) as UnsignedOpenBadgeCredential & {
      proof?: DataIntegrityProofValue[];
    };
    // Field order as the Data Integrity library writes it, so both signers' output reads the same.
    const created = createdAt(now());
    const proof: DataIntegrityProofValue = {
      type: DATA_INTEGRITY_PROOF,
      created,
      verificationMethod,
      cryptosuite: EDDSA_RDFC_2022,
      proofPurpose: 'assertionMethod',
      proofValue: '',
    };
    // Once the key, the proof options' hash and the document's template are ready, nothing here waits.
    const keyObject = readyKey ?? (await loadKey());
    const context = document['@context'];
    const optionsHash =
      lastOptions !== undefined &&
      lastOptions.created === created &&
      sameContext(lastOptions.context, context)
        ? lastOptions.hash
        : undefined;
    const nquads =
      optionsHash &&
      (reading
        ? canonicalizer.canonizeReadingIfReady(document, reading)
        : canonicalizer.canonizeIfReady(document));
    let data: Buffer;
    if (optionsHash !== undefined && nquads !== undefined) {
      signedBytes.set(optionsHash, 0);
      signedBytes.write(sha256Latin1(nquads), 32, 'latin1');
      data = signedBytes;
    } else {
      data = await proofSigningInput(canonicalizer, document, proof, recentProofOptions);
      lastOptions = { context: copyJson(context), created, hash: data.subarray(0, 32) };
    }
    proof.proofValue = `z${encodeBase58btc(signBytes(null, data, keyObject))}`;
    document.proof = [proof];
    return document as SignedOpenBadgeCredential;
  };

  return { verificationMethod, sign };
}

/** Two documents' contexts that are equal lists of strings (or the same string): the usual case, compared fast. */
function sameContext(a: unknown, b: unknown): boolean {
  if (typeof a === 'string') return a === b;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    if (typeof a[i] !== 'string' || a[i] !== b[i]) return false;
  }
  return true;
}
