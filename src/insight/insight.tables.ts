import type { ColumnType } from 'kysely';
import type { EnrolmentPath } from '../programs/program-vocabulary.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * Badges issued per program and day (the day in the institution's time zone, `insight_state.time_zone`), with how
 * many of them are claimed, shared and revoked now. The overview sums these instead of reading every award.
 */
export interface InsightBadgeDaysTable {
  program_id: string;
  /** 'YYYY-MM-DD'. */
  day: string;
  issued: number;
  claimed: number;
  shared: number;
  revoked: number;
}

/** Enrolments per program, day enrolled and path. */
export interface InsightEnrolmentDaysTable {
  program_id: string;
  day: string;
  path: EnrolmentPath;
  enrolments: number;
}

/** The days' counts summed per month ('YYYY-MM-01'). */
export interface InsightBadgeMonthsTable {
  program_id: string;
  month: string;
  issued: number;
  claimed: number;
  shared: number;
  revoked: number;
}

export interface InsightEnrolmentMonthsTable {
  program_id: string;
  month: string;
  path: EnrolmentPath;
  enrolments: number;
}

/** One row once the figures are built: the time zone their days are in, and when they were built. */
export interface InsightStateTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  time_zone: string;
  built_at: Timestamp;
}

export interface InsightTables {
  insight_badge_days: InsightBadgeDaysTable;
  insight_enrolment_days: InsightEnrolmentDaysTable;
  insight_badge_months: InsightBadgeMonthsTable;
  insight_enrolment_months: InsightEnrolmentMonthsTable;
  insight_state: InsightStateTable;
}
