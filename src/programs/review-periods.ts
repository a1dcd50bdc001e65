/**
 * How each kind of review finds its period: a pilot year from the pilot calendar, a periodic review from the
 * institution's rhythm counted on from the last one submitted. Everything else about a review is the same for both
 * (`program-reviews.service.ts`).
 */
import type { Db } from '../platform/db/database.ts';
import { notFound } from '../platform/errors.ts';
import { formatDay } from '../platform/http/moment.ts';
import { countOf } from '../platform/words.ts';
import { type EstablishedProgram, owedReviewPeriod } from './periodic-review-calendar.ts';
import { calendarOf, type PilotProgram } from './pilot-obligations.ts';
import type { ProgramReviewsRepository } from './program-reviews.repository.ts';
import { isUnderPilot, type ProgramState } from './program-vocabulary.ts';
import type { ReviewKindName } from './review-kinds.ts';

/** The institution's settings a period depends on, read before any transaction (PGlite has one connection). */
export interface ReviewRhythm {
  startMonth: number;
  everyYears: number;
}

export interface ReviewPeriod {
  number: number;
  startsOn: string;
  endsOn: string;
  dueOn: string;
  /** A pilot year's label ('2025-26'); null for a periodic review. */
  academicYear: string | null;
  /** The period in a sentence, for the top of the form. */
  description: string;
}

export interface LocatedReview {
  program: {
    id: string;
    title: string;
    status: ProgramState;
    leadUserId: string | null;
    leadName: string | null;
  };
  period: ReviewPeriod;
  /** Whether the program is in the state in which this kind of review is written. */
  isOpen: boolean;
}

export type ReviewLocator = (
  db: Db,
  programId: string,
  number: number,
  rhythm: ReviewRhythm,
) => Promise<LocatedReview>;

type PilotRow = Awaited<ReturnType<ProgramReviewsRepository['pilotPrograms']>>[number];
type EstablishedRow = Awaited<ReturnType<ProgramReviewsRepository['establishedPrograms']>>[number];

export const toPilotProgram = (row: PilotRow): PilotProgram => ({
  id: row.id,
  title: row.title,
  status: row.status,
  leadUserId: row.lead_user_id,
  leadName: row.lead_name,
  leadEmail: row.lead_email,
  startedOn: row.pilot_started_on,
  startYear: row.pilot_start_year,
  submittedYears: row.submitted_years.map(Number),
});

export const toEstablished = (row: EstablishedRow): EstablishedProgram => ({
  id: row.id,
  title: row.title,
  status: row.status,
  leadUserId: row.lead_user_id,
  leadName: row.lead_name,
  leadEmail: row.lead_email,
  establishedOn: row.established_on,
  lastSubmitted:
    row.last_cycle !== null && row.last_ends_on !== null
      ? { cycle: row.last_cycle, endsOn: row.last_ends_on }
      : null,
});

const programOf = (row: PilotRow | EstablishedRow): LocatedReview['program'] => ({
  id: row.id,
  title: row.title,
  status: row.status,
  leadUserId: row.lead_user_id,
  leadName: row.lead_name,
});

/** Each kind's rule for finding the period of review `number` of a program. */
export function reviewLocators(repository: ProgramReviewsRepository): Record<ReviewKindName, ReviewLocator> {
  return {
    /** Year `number` of the pilot calendar; there is none for a program that never ran a pilot. */
    pilot_review: async (db, programId, year, { startMonth }) => {
      const [row] = await repository.pilotPrograms(db, programId);
      if (!row) throw notFound('That program');
      const calendar = calendarOf(toPilotProgram(row), startMonth);
      const pilotYear = calendar?.years.find((y) => y.number === year);
      if (!pilotYear) throw notFound(calendar ? 'That pilot year' : 'A pilot for this program');
      return {
        program: programOf(row),
        period: {
          number: year,
          startsOn: pilotYear.startsOn,
          endsOn: pilotYear.endsOn,
          dueOn: pilotYear.reviewDueOn,
          academicYear: pilotYear.academicYear,
          description: `Academic year ${pilotYear.academicYear}, from ${formatDay(pilotYear.startsOn)} to ${formatDay(pilotYear.endsOn)}`,
        },
        isOpen: isUnderPilot(row.status),
      };
    },
    /**
     * The stored period once submitted, otherwise the one owed now (only the next review may be written; later
     * ones do not exist yet).
     */
    periodic_review: async (db, programId, cycle, { startMonth, everyYears }) => {
      const [row] = await repository.establishedPrograms(db, programId);
      if (!row) throw notFound('That program');
      const stored = await repository.findReview(db, 'periodic_review', programId, cycle);
      const every = `Established programs are reviewed every ${countOf(everyYears, 'year')}.`;
      const located = (startsOn: string, endsOn: string, dueOn: string) => ({
        program: programOf(row),
        period: {
          number: cycle,
          startsOn,
          endsOn,
          dueOn,
          academicYear: null,
          description: `${every} This review covers ${formatDay(startsOn)} to ${formatDay(endsOn)}`,
        },
        isOpen: row.status === 'established',
      });
      if (stored?.submitted_at && stored.starts_on && stored.ends_on) {
        return located(stored.starts_on, stored.ends_on, stored.due_on_text);
      }
      const program = toEstablished(row);
      const owed = owedReviewPeriod(program.establishedOn, program.lastSubmitted, everyYears, startMonth);
      if (row.status !== 'established' || owed.cycle !== cycle) throw notFound('That periodic review');
      return located(owed.startsOn, owed.endsOn, owed.dueOn);
    },
  };
}
