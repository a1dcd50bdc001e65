import { AppError } from '../platform/errors.ts';
import { hashToken } from '../platform/ids.ts';

/**
 * The per-account sign-in limit, whatever address the attempts come from. The per-address limit in the routes
 * stops one machine hammering; this one stops many machines sharing out the guesses for one account.
 */
export const SIGN_IN_LIMITS = {
  /** Failures allowed before each further one makes the account wait. */
  freeFailures: 5,
  /** The first wait; each further failure doubles it. */
  firstDelayMs: 60 * 1000,
  /** The longest wait, so the owner is never locked out for long by someone else's guessing. */
  maxDelayMs: 30 * 60 * 1000,
  /** Failures older than this (since the last one) are forgotten. Longer than maxDelayMs, so waits keep growing. */
  windowMs: 60 * 60 * 1000,
} as const;

/**
 * The key failures are counted under: a hash of the normalised address, so the table holds no addresses and an
 * unknown address is counted exactly like a known one (the answers must not tell them apart).
 */
export const signInAccountKey = (normalisedEmail: string): string => hashToken(`sign-in:${normalisedEmail}`);

/** How long the account must wait after its `failures`-th failure in a row (0: it need not). */
export function delayAfterFailures(failures: number): number {
  const beyond = failures - SIGN_IN_LIMITS.freeFailures;
  if (beyond < 0) return 0;
  return Math.min(SIGN_IN_LIMITS.firstDelayMs * 2 ** Math.min(beyond, 20), SIGN_IN_LIMITS.maxDelayMs);
}

/** A run of failures whose last one is older than this is forgotten: the next failure counts as the first. */
export const forgetFailuresBefore = (now: Date): Date => new Date(now.getTime() - SIGN_IN_LIMITS.windowMs);

/** The refusal while an account waits; the same words whether or not the account exists. */
export function tooManyFailures(lockedUntil: Date, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
  return new AppError(
    'RATE_LIMITED',
    `Too many failed attempts for this account; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  );
}
