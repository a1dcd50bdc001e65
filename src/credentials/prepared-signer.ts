import { DataIntegrityProof } from '@digitalcredentials/data-integrity';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import { BoundedMap } from '../platform/bounded-map.ts';
import type { SigningKey } from './credential-types.ts';
import { verificationMethodId } from './issuer-keys.ts';

/** Everything needed to sign with one key, built once per key and reused for every badge. */
export interface PreparedSigner {
  verificationMethod: string;
  /** An eddsa-rdfc-2022 Data Integrity suite holding the key's signer. */
  suite: DataIntegrityProof;
  /** The key as a private JWK, for VC-JWT signing with jose. */
  privateJwk: PrivateEd25519Jwk;
}

export interface PrivateEd25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  d: string;
}

// An installation signs with a handful of keys; the cap only keeps a runaway caller from hoarding them.
const MAX_PREPARED = 32;
const prepared = new BoundedMap<string, Promise<PreparedSigner>>(MAX_PREPARED);
const SELF_CHECK = new TextEncoder().encode('stackable: do these key halves belong together?');

/**
 * Returns the cached signer for a key, creating it on first use. Creating one also signs and verifies
 * a test message, so a secret half that does not match the published public half is caught here
 * rather than by every verifier later.
 */
export function prepareSigner(key: SigningKey): Promise<PreparedSigner> {
  const cacheKey = [key.did, key.keyId, key.publicKeyMultibase, key.secretKeyMultibase].join(' ');
  let pending = prepared.get(cacheKey);
  if (!pending) {
    pending = createSigner(key);
    prepared.set(cacheKey, pending);
    pending.catch(() => prepared.delete(cacheKey));
  }
  return pending;
}

async function createSigner(key: SigningKey): Promise<PreparedSigner> {
  const verificationMethod = verificationMethodId(key.did, key.keyId);
  const keyPair = await Ed25519Multikey.from({
    id: verificationMethod,
    controller: key.did,
    type: 'Multikey',
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase: key.secretKeyMultibase,
  });
  const signer = keyPair.signer();
  const signature = await signer.sign({ data: SELF_CHECK });
  if (!(await keyPair.verifier().verify({ data: SELF_CHECK, signature }))) {
    throw new Error(`The secret half of signing key ${verificationMethod} does not match its public key.`);
  }
  return {
    verificationMethod,
    suite: new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022 }),
    privateJwk: privateJwkOf(keyPair),
  };
}

// The library keeps the secret as seed + public key (64 bytes); a JWK's `d` is the 32-byte seed alone.
function privateJwkOf(keyPair: Ed25519Multikey.Ed25519KeyPair): PrivateEd25519Jwk {
  if (!keyPair.secretKey) throw new Error(`Signing key ${keyPair.id} has no secret half.`);
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x: Buffer.from(keyPair.publicKey).toString('base64url'),
    d: Buffer.from(keyPair.secretKey.subarray(0, 32)).toString('base64url'),
  };
}
