/**
 * The rules of an account's addresses, pure so they are tested as a table: the primary address cannot be removed
 * (another one is made primary first), and no change may leave the account without a proven address to sign in
 * and reset a password with. A learner leaving the university makes a personal address primary, then removes the
 * university one.
 */

/** One address as the rules see it. */
export interface AddressFacts {
  isPrimary: boolean;
  isVerified: boolean;
}

/** Why an address cannot be removed, or null when it can. */
export function removalProblem(addresses: readonly AddressFacts[], target: AddressFacts): string | null {
  if (target.isPrimary) return 'is your primary address: make another address primary first';
  const provenLeft = addresses.filter((a) => a !== target && a.isVerified).length;
  if (target.isVerified && provenLeft === 0) return 'is your only confirmed address';
  return null;
}

/** Why an address cannot become primary, or null when it can. */
export function primaryProblem(target: AddressFacts): string | null {
  if (target.isPrimary) return 'is already your primary address';
  if (!target.isVerified) return 'must be confirmed through the link we sent first';
  return null;
}

/** How many extra addresses an account may hold (confirmed or waiting). */
export const MAX_EXTRA_ADDRESSES = 5;

/** How long a confirmation link works. */
export const ADDRESS_LINK_TTL_MS = 24 * 60 * 60 * 1000;
