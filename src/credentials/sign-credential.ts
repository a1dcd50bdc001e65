import * as vc from '@digitalcredentials/vc';
import type {
  DataIntegrityProofValue,
  SignedOpenBadgeCredential,
  SigningKey,
  UnsignedOpenBadgeCredential,
} from './credential-types.ts';
import { createDocumentLoader } from './document-loader.ts';
import { prepareSigner } from './prepared-signer.ts';
import type { StatusListCredential } from './status-list.ts';
import { assertSignableBy, assertValidBadge } from './validate-credential.ts';

export { signCredentialJwt } from './credential-jwt.ts';

// Signing never needs to resolve a DID (the key is in hand), so one loader without hooks serves all calls.
const signingLoader = createDocumentLoader();

/**
 * Signs an OpenBadgeCredential with an eddsa-rdfc-2022 Data Integrity proof (proofPurpose
 * assertionMethod), emitted as a one-element `proof` array as the OB 3.0 schema expects. A credential
 * that fails the OB 3.0 JSON Schema is refused with field-level problems and never signed.
 */
export async function signCredential(
  unsigned: UnsignedOpenBadgeCredential,
  key: SigningKey,
): Promise<SignedOpenBadgeCredential> {
  assertSignableBy(unsigned, key.did);
  assertValidBadge(unsigned);
  return signWithDataIntegrity(unsigned, key);
}

/** Signs a Bitstring status list credential the same way, so verifiers can trust the list they fetch. */
export async function signStatusListCredential(
  unsigned: StatusListCredential,
  key: SigningKey,
): Promise<StatusListCredential & { proof: DataIntegrityProofValue[] }> {
  assertSignableBy(unsigned, key.did);
  return signWithDataIntegrity(unsigned, key);
}

async function signWithDataIntegrity<T extends object>(
  unsigned: T,
  key: SigningKey,
): Promise<T & { proof: DataIntegrityProofValue[] }> {
  const { suite } = await prepareSigner(key);
  // A fresh copy each time: the suite caches the hash of the last document it saw by object identity,
  // and the library adds the proof to the object it is given.
  const signed = await vc.issue({
    credential: structuredClone(unsigned),
    suite,
    documentLoader: signingLoader,
  });
  const proof = signed.proof as DataIntegrityProofValue | DataIntegrityProofValue[];
  return { ...(signed as T), proof: Array.isArray(proof) ? proof : [proof] };
}
