/**
 * Fast eddsa-rdfc-2022 signing and verification for the credentials Stackable issues. Same proofs as
 * signCredential (byte for byte for the same `created` time); see docs/performance.md for how it works
 * and how it is checked against the reference libraries.
 *
 *   const signer = createFastSigner(key);                 // one per key, reuse it
 *   const signed = await signer.sign(unsigned);
 *
 *   const pool = createSigningPool(key);                  // bulk: all cores
 *   const many = await pool.signMany(unsignedList);
 *   await pool.close();
 *
 *   const verdict = await verifyOwnCredentialFast(badge, publishedKeys);
 *   // 'valid' | 'invalid' | 'not-ours' (→ use the full verifier in src/verification)
 */
export { type Canonicalizer, type CanonicalizerStats, createCanonicalizer } from './canonicalizer.ts';
export { createFastSigner, type FastSigner, type FastSignerOptions } from './fast-signer.ts';
export {
  createFastVerifier,
  type FastVerdict,
  type FastVerifier,
  type TrustedKey,
  verifyOwnCredentialFast,
} from './fast-verifier.ts';
export { createSigningPool, type SigningPool, type SigningPoolOptions } from './signing-pool.ts';
