import type { IssuerTrust } from './issuer-trust.ts';
import type { Check } from './verification-types.ts';

/**
 * Whether the credential itself holds up: its proof is valid and no check failed (schema, dates, status, and the
 * recipient when one was asked about). This is what VC 2.0 and the VC-API mean by "verified", so the VC-API
 * answers with it. Whether anybody here knows the signer is a separate question (see `isVerifiedAndTrusted`).
 * The issuer check still counts: it fails when the signature vouches for another issuer than the one the
 * credential names, or when a badge borrows this institution's name without our key, so a forgery that claims
 * to be ours never holds up.
 */
export function holdsUp(checks: readonly Check[]): boolean {
  const proof = checks.find((check) => check.id === 'proof');
  return proof?.status === 'passed' && checks.every((check) => check.status !== 'failed');
}

/**
 * The verdict people are given (the verify page, the backpack, the command line): the credential holds up and its
 * signer is this institution or an issuer an administrator trusts. A valid signature by a stranger proves only that
 * someone signed it, so it is said as it is instead of "Verified".
 */
export function isVerifiedAndTrusted(checks: readonly Check[], trust: IssuerTrust): boolean {
  return holdsUp(checks) && (trust.level === 'ours' || trust.level === 'known');
}
