import { AppError } from '../platform/errors.ts';
import { hashToken } from '../platform/ids.ts';
import { countOf } from '../platform/words.ts';

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

/**
 * The per-address limit: failed sign-ins from one client address, whichever accounts they name (one machine
 * guessing at many accounts). Only failures count, like the account's: a shared campus address whose people
 * sign in all day is never slowed by their successes. Generous, since many people may share one address.
 */
export const ADDRESS_LIMITS = {
  freeFailures: 20,
  firstDelayMs: 60 * 1000,
  maxDelayMs: 15 * 60 * 1000,
  windowMs: 60 * 60 * 1000,
} as const;

type Limits = typeof SIGN_IN_LIMITS | typeof ADDRESS_LIMITS;

/**
 * How long the account (or, given `ADDRESS_LIMITS`, the address) must wait after its `failures`-th failure in a
 * row (0: it need not).
 */
export function delayAfterFailures(failures: number, limits: Limits = SIGN_IN_LIMITS): number {
  const beyond = failures - limits.freeFailures;
  if (beyond < 0) return 0;
  return Math.min(limits.firstDelayMs * 2 ** Math.min(beyond, 20), limits.maxDelayMs);
}

/** The key an address's failures are counted under, in the same table as the accounts' (hashed as well). */
export const signInAddressKey = (ip: string): string => hashToken(`sign-in-address:${ip}`);

/** A run of failures whose last one is older than this is forgotten: the next failure counts as the first. */
export const forgetFailuresBefore = (now: Date): Date => new Date(now.getTime() - SIGN_IN_LIMITS.windowMs);

/** '3 minutes': a wait as people read it, in whole minutes rounded up (never "0 minutes"). */
export function waitInWords(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return countOf(minutes, 'minute');
}

/** The refusal while an account waits; the same words whether or not the account exists. */
export function tooManyFailures(lockedUntil: Date, now: Date): AppError {
  return new AppError(
    'RATE_LIMITED',
    `Too many failed attempts for this account; try again in ${waitInWords(lockedUntil.getTime() - now.getTime())}.`,
  );
}

/** The refusal while an address waits, with the true time left. */
export function tooManyFromAddress(lockedUntil: Date, now: Date): AppError {
  return new AppError(
    'RATE_LIMITED',
    `Too many failed sign-ins from your network; try again in ${waitInWords(lockedUntil.getTime() - now.getTime())}.`,
  );
}
