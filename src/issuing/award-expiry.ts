/**
 * When a badge expires and when its learner is reminded: pure, so the reminder job, the pages and the tests read
 * the same answer off the same dates. A day here is 24 hours counted from the moment the credential's validUntil
 * names, so "14 days before" means the same thing wherever the job runs.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How many days before expiry the learner is reminded. Two reminders: one early enough to take a refresher
 * course, one close enough not to be forgotten.
 */
export const EXPIRY_REMINDER_DAYS: readonly number[] = [60, 14];

/** Where a badge stands against its expiry date at a moment. */
export type ExpiryStanding =
  | { kind: 'never' }
  | { kind: 'valid'; until: Date; daysLeft: number }
  | { kind: 'expired'; on: Date };

/** Whole days left until `until`, rounded up: 13 days and an hour is 14 days left. */
export function daysLeft(until: Date, now: Date): number {
  return Math.ceil((until.getTime() - now.getTime()) / DAY_MS);
}

/** A credential without validUntil never expires; one whose validUntil has passed has expired. */
export function expiryStandingOf(validUntil: Date | null, now: Date): ExpiryStanding {
  if (!validUntil) return { kind: 'never' };
  if (now.getTime() > validUntil.getTime()) return { kind: 'expired', on: validUntil };
  return { kind: 'valid', until: validUntil, daysLeft: daysLeft(validUntil, now) };
}

/**
 * The reminder due now, as its number of days before expiry, or null when none is. The most urgent stage that
 * has been reached is the one due: a job that did not run for weeks sends the 14-day reminder, not a late 60-day
 * one as well. A stage already sent is never due again, and nothing is due once the badge has expired.
 */
export function reminderDue(
  validUntil: Date,
  now: Date,
  alreadySent: ReadonlySet<number>,
  stages: readonly number[] = EXPIRY_REMINDER_DAYS,
): number | null {
  const left = daysLeft(validUntil, now);
  if (now.getTime() > validUntil.getTime() || left <= 0) return null;
  const reached = stages.filter((days) => left <= days);
  if (reached.length === 0) return null;
  const mostUrgent = Math.min(...reached);
  return alreadySent.has(mostUrgent) ? null : mostUrgent;
}

/** The furthest reminder stage: awards expiring later than this many days away need no look yet. */
export const furthestReminderDays = (stages: readonly number[] = EXPIRY_REMINDER_DAYS): number =>
  Math.max(...stages);
