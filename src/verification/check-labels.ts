import { type CredentialKind, credentialKindOf, kindWords } from './credential-kind.ts';
import { isObject } from './read-presented-badge.ts';
import type { CheckId, CheckStatus, VerificationResult } from './verification-types.ts';

/** What each check is called where people read the result of a badge (page and command line). */
export const checkNames: Record<CheckId, string> = {
  format: 'Badge format',
  schema: 'Open Badges data',
  proof: 'Digital signature',
  dates: 'Dates of validity',
  status: 'Revocation and suspension',
  issuer: 'Issuer',
  recipient: 'Recipient',
};

/**
 * What a check is called for a credential of this kind: the format and schema checks name what was presented (an
 * endorsement's data is not "Open Badges data" to the person reading); the others read the same for every kind.
 */
export function checkNameOf(id: CheckId, kind: CredentialKind): string {
  if (id === 'schema') return kindWords[kind].dataCheck;
  if (id === 'format' && kind !== 'open-badge') return 'Credential format';
  return checkNames[id];
}

/**
 * The kind of credential a verification result is about. An Open Badges 2.0 assertion is a badge whatever its
 * type says; an unreadable one is spoken of as a badge, since that is what the page asked for.
 */
export function presentedKindOf(result: Pick<VerificationResult, 'format' | 'credential'>): CredentialKind {
  if (result.format === 'ob2-hosted' || result.format === 'ob2-signed') return 'open-badge';
  return isObject(result.credential) ? credentialKindOf(result.credential) : 'open-badge';
}

/** The outcome of a check in words, with a symbol that only repeats them. */
export const statusWords: Record<CheckStatus, { word: string; mark: string }> = {
  passed: { word: 'Passed', mark: '✓' },
  failed: { word: 'Failed', mark: '✗' },
  warning: { word: 'Warning', mark: '!' },
  skipped: { word: 'Not checked', mark: '–' },
};

/**
 * The verdict in a few words, the same on the page and the command line. A valid signature by a signer nobody
 * here knows is neither "verified" nor a failure: it is said as it is.
 */
export function verdictWords(result: VerificationResult): string {
  if (result.verified) return 'Verified';
  if (isExpiredOnly(result)) return EXPIRED_VERDICT;
  const signatureOnly =
    result.issuerTrust.level === 'unknown' && result.checks.every((check) => check.status !== 'failed');
  return signatureOnly ? 'Signature valid, issuer not known' : 'Not verified';
}

/** The verdict of a genuine badge from a signer we know whose only failing is its passed validUntil. */
export const EXPIRED_VERDICT = 'Expired: genuine, but no longer current';

/**
 * The signature holds, the signer is ours or known, and the only failed check is the dates check saying the badge
 * expired: it is not "verified" (VC 2.0 treats validUntil as part of validity), but it is not a forgery either.
 */
export function isExpiredOnly(result: VerificationResult): boolean {
  const failed = result.checks.filter((check) => check.status === 'failed');
  const proof = result.checks.find((check) => check.id === 'proof');
  const known = result.issuerTrust.level === 'ours' || result.issuerTrust.level === 'known';
  return (
    known &&
    proof?.status === 'passed' &&
    failed.length > 0 &&
    failed.every((check) => check.id === 'dates' && check.expired === true)
  );
}
