import { createHash } from 'node:crypto';

/**
 * The fingerprint of what a person was shown before confirming that badges be issued: whose, which, for what
 * fee. Issuing signs credentials and charges fees, so the final POST must carry the fingerprint back, and it is
 * worked out again from the records at that moment: a POST that skipped the confirmation step, or one made after
 * the summary changed (a fee edited, a request issued by someone else meanwhile), issues nothing and the person
 * is shown the summary as it now stands. It is not a secret (CSRF and the policy guard the route); it only ties
 * "Yes" to what was read.
 */
export function confirmationToken(summary: readonly (string | number | null)[]): string {
  return createHash('sha256').update(JSON.stringify(summary)).digest('base64url').slice(0, 32);
}

/** Why a confirmed POST was turned back: none was given, or what it confirmed is no longer what would happen. */
export type ConfirmationProblem = 'missing' | 'changed';

/** Whether `given` confirms the summary whose fingerprint is `expected`; the problem when it does not. */
export function confirmationProblem(given: string | undefined, expected: string): ConfirmationProblem | null {
  if (given === undefined || given === '') return 'missing';
  return given === expected ? null : 'changed';
}

/** What the page says when it shows the summary again instead of issuing. */
export const confirmationProblemMessages: Readonly<Record<ConfirmationProblem, string>> = {
  missing: 'Nothing was issued: issuing needs your confirmation of the summary below first.',
  changed:
    'Nothing was issued: something changed since you looked (a fee, or what is ready to issue). Check the summary below as it now stands.',
};
