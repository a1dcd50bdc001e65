/**
 * A one-word status for a learner's progress toward a credential, for staff lists and reminder jobs.
 */
import { addCalendarMonths, parseCalendarDay } from './calendar-day.ts';
import type { RuleEvaluation } from './evaluation.ts';

export type ProgressStatus = 'complete' | 'close' | 'in_progress' | 'stalled' | 'not_started';

/** Percent complete at which an unfinished learner is "close" (worth a nudge to finish). */
export const closeThresholdPercent = 75;

/** Months without any recorded activity after which an unfinished learner counts as stalled. */
export const stalledAfterMonths = 12;

/**
 * Classifies progress in this order:
 * 1. complete: the requirement is met.
 * 2. not_started: nothing counts yet (0%), however old the enrolment; "stalled" implies a start.
 * 3. stalled: no activity for `stalledAfterMonths` or more (activity exactly 12 months before `asOf`
 *    counts as stalled). Checked before "close" because a learner who stopped at 80% needs outreach more
 *    than a nudge. An unknown or unreadable `lastActivityOn` is not evidence of stalling and is skipped.
 * 4. close: at least `closeThresholdPercent`.
 * 5. in_progress: everything else.
 *
 * @throws RangeError when `asOf` is not an ISO date.
 */
export function classifyProgress(
  evaluation: Pick<RuleEvaluation, 'met' | 'percent'>,
  lastActivityOn: string | null | undefined,
  asOf: string,
): ProgressStatus {
  const today = parseCalendarDay(asOf);
  if (today === null) throw new RangeError(`asOf must be an ISO date (YYYY-MM-DD), got ${String(asOf)}`);
  if (evaluation.met) return 'complete';
  if (evaluation.percent <= 0) return 'not_started';
  const lastActivity = parseCalendarDay(lastActivityOn);
  if (lastActivity !== null && addCalendarMonths(lastActivity, stalledAfterMonths) <= today) return 'stalled';
  if (evaluation.percent >= closeThresholdPercent) return 'close';
  return 'in_progress';
}
