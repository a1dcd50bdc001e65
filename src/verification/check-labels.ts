import type { CheckId, CheckStatus } from './verification-types.ts';

/** What each check is called where people read the result (page and command line). */
export const checkNames: Record<CheckId, string> = {
  format: 'Badge format',
  schema: 'Open Badges data',
  proof: 'Digital signature',
  dates: 'Dates of validity',
  status: 'Revocation and suspension',
  issuer: 'Issuer',
};

/** The outcome of a check in words, with a symbol that only repeats them. */
export const statusWords: Record<CheckStatus, { word: string; mark: string }> = {
  passed: { word: 'Passed', mark: '✓' },
  failed: { word: 'Failed', mark: '✗' },
  warning: { word: 'Warning', mark: '!' },
  skipped: { word: 'Not checked', mark: '–' },
};
