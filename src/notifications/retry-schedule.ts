/**
 * When a message that could not be delivered is tried again. A mail server that refuses for a while (an outage,
 * a greylist, a full quota) must not cost the message: the first retries come soon, then further apart, capped at
 * an hour, and a message is given up on only once it has been trying for a whole day. Pure: the caller passes the
 * time, so tests move through a day without waiting for it.
 */

/** The first retry's delay; each next one doubles it. */
export const FIRST_RETRY_MS = 60_000;
/** The longest wait between two attempts. */
export const LONGEST_RETRY_MS = 60 * 60_000;
/** How long a message keeps being retried, counted from when it was queued. */
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;

/** What to do after a failed attempt: try again at a time, or give up (the message becomes a dead letter). */
export type AfterFailure = { retryAt: Date } | { giveUp: true };

/**
 * The next step for a message queued at `queuedAt` whose `attempts`-th attempt (counting this one, from 1) has
 * just failed at `now`.
 */
export function afterFailedAttempt(queuedAt: Date, attempts: number, now: Date): AfterFailure {
  if (now.getTime() - queuedAt.getTime() >= RETRY_WINDOW_MS) return { giveUp: true };
  const doublings = Math.min(Math.max(attempts, 1) - 1, 30);
  const delay = Math.min(FIRST_RETRY_MS * 2 ** doublings, LONGEST_RETRY_MS);
  return { retryAt: new Date(now.getTime() + delay) };
}
