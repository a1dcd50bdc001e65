import type { CheckId, CheckStatus, VerificationResult } from './verification-types.ts';

/** What each check is called where people read the result (page and command line). */
export const checkNames: Record<CheckId, string> = {
  format: 'Badge format',
  schema: 'Open Badges data',
  proof: 'Digital signature',
  dates: 'Dates of validity',
  status: 'Revocation and suspension',
  issuer: 'Issuer',
  recipient: 'Recipient',
};

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
  const signatureOnly =
    result.issuerTrust.level === 'unknown' && result.checks.every((check) => check.status !== 'failed');
  return signatureOnly ? 'Signature valid, issuer not known' : 'Not verified';
}
