import { formatDay } from '../platform/http/moment.ts';
/**
 * When an established program owes its periodic review. Pure: callers pass the programs, the institution's
 * rhythm (every N years) and the month its academic year starts; nothing reads a clock.
 *
 * Review periods follow each other without gaps. The first starts on the day the program became established;
 * each later one the day after the previous review's period ended. A period lasts at least N whole years and
 * ends with the academic year in which those years run out, so a review is always due at the end of an
 * academic year, as pilot reviews are. Because the next period starts from the last one submitted, changing N
 * moves only the reviews not yet submitted.
 */

import { academicYearEndOf, dayAfter, lastDayOfYearsFrom } from './pilot-calendar.ts';
import type { Obligation } from './pilot-obligations.ts';
import type { ProgramState } from './program-vocabulary.ts';

/** The institution may review established programs every 1 to 10 years. */
export const periodicReviewYearsRange = { min: 1, max: 10 } as const;

export interface ReviewPeriod {
  /** 1 for the first review after establishment, 2 for the next, and so on. */
  cycle: number;
  startsOn: string;
  endsOn: string;
  /** The review is due on the last day of its period. */
  dueOn: string;
}

/** The review period that starts on `startsOn`, for reviews every `everyYears` years. */
export function reviewPeriodFrom(
  startsOn: string,
  everyYears: number,
  startMonth: number,
  cycle = 1,
): ReviewPeriod {
  if (
    !Number.isInteger(everyYears) ||
    everyYears < periodicReviewYearsRange.min ||
    everyYears > periodicReviewYearsRange.max
  ) {
    throw new RangeError(`Periodic reviews come every 1 to 10 years, got ${everyYears}`);
  }
  const endsOn = academicYearEndOf(lastDayOfYearsFrom(startsOn, everyYears), startMonth);
  return { cycle, startsOn, endsOn, dueOn: endsOn };
}

/** The last review submitted for a program: its number and the last day it covered. */
export interface SubmittedPeriod {
  cycle: number;
  endsOn: string;
}

/** The review an established program owes now: the period after the last one submitted. */
export function owedReviewPeriod(
  establishedOn: string,
  lastSubmitted: SubmittedPeriod | null,
  everyYears: number,
  startMonth: number,
): ReviewPeriod {
  return lastSubmitted
    ? reviewPeriodFrom(dayAfter(lastSubmitted.endsOn), everyYears, startMonth, lastSubmitted.cycle + 1)
    : reviewPeriodFrom(establishedOn, everyYears, startMonth, 1);
}

export interface EstablishedProgram {
  id: string;
  title: string;
  status: ProgramState;
  leadUserId: string | null;
  leadName: string | null;
  leadEmail: string | null;
  establishedOn: string;
  lastSubmitted: SubmittedPeriod | null;
}

/** Short words for a period: '2026-09-01 to 2031-08-31'. */
export const periodLabel = (period: Pick<ReviewPeriod, 'startsOn' | 'endsOn'>): string =>
  `${formatDay(period.startsOn)} to ${formatDay(period.endsOn)}`;

/** One obligation per established program: the periodic review it owes next. Retired programs owe none. */
export function periodicObligations(
  programs: readonly EstablishedProgram[],
  everyYears: number,
  startMonth: number,
): Obligation[] {
  return programs
    .filter((program) => program.status === 'established')
    .map((program) => {
      const period = owedReviewPeriod(program.establishedOn, program.lastSubmitted, everyYears, startMonth);
      return {
        kind: 'periodic_review' as const,
        programId: program.id,
        title: program.title,
        leadUserId: program.leadUserId,
        leadName: program.leadName,
        leadEmail: program.leadEmail,
        year: period.cycle,
        dueOn: period.dueOn,
        subjectId: `${program.id}/periodic-${period.cycle}`,
        label: `Periodic review ${period.cycle} (${periodLabel(period)})`,
        path: `/programs/${program.id}/periodic-reviews/${period.cycle}`,
      };
    });
}
