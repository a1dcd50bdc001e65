import type { ColumnType, Selectable } from 'kysely';
import type { RuleEvaluation } from '../requirements/index.ts';

type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read back as parsed JSON, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;

/** Faculty confirmation that a learner completed one applied experience of one program. */
export interface ExperiencesTable {
  id: string;
  learner_id: string;
  program_id: string;
  /** The `key` of the program rule's experience requirement. */
  key: string;
  signed_off_by: string;
  /** 'YYYY-MM-DD', the day the experience was completed. */
  signed_off_on: string;
  note: Defaulted<string>;
  created_at: Timestamp;
}

/** An approved exception for one learner in one program: `substitute_course` counts as `required_course`. */
export interface SubstitutionsTable {
  id: string;
  learner_id: string;
  program_id: string;
  required_course: string;
  substitute_course: string;
  approved_by: string;
  reason: string;
  created_at: Timestamp;
}

export type BadgeRequestStatus = 'requested' | 'approved' | 'returned' | 'issued' | 'withdrawn';

/** The evaluation a badge request was made on, frozen at the time. */
export interface EvaluationSnapshot {
  asOf: string;
  met: boolean;
  percent: number;
  explanation: string;
  evaluation: RuleEvaluation;
}

export interface BadgeRequestsTable {
  id: string;
  learner_id: string;
  program_id: string;
  status: Defaulted<BadgeRequestStatus>;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_at: Date | null;
  comment: string | null;
  evaluation: Json<EvaluationSnapshot>;
  /** Set by the issuing module through `markIssued`. */
  credential_id: string | null;
  issued_at: Date | null;
}

/**
 * One enrolment's verdict as last worked out (see progress-store.service.ts), with what it was worked out from:
 * the day (`as_of`), the program rule (`rule_fingerprint`, md5 of the stored rule) and the enrolment day.
 */
export interface EnrolmentProgressTable {
  enrolment_id: string;
  learner_id: string;
  program_id: string;
  status: string;
  met: boolean;
  percent: number;
  explanation: string;
  missing: Json<string[]>;
  credits_earned: number;
  /** 'YYYY-MM-DD' */
  last_activity_on: string;
  /** 'YYYY-MM-DD', the evaluation day. */
  as_of: string;
  rule_fingerprint: string;
  /** 'YYYY-MM-DD', the enrolment day the row was worked out with. */
  enrolled_on: string;
  refreshed_at: Timestamp;
}

/** The progress module's tables, merged into the app's `DB` interface. */
export interface ProgressTables {
  experiences: ExperiencesTable;
  substitutions: SubstitutionsTable;
  badge_requests: BadgeRequestsTable;
  enrolment_progress: EnrolmentProgressTable;
}

export type BadgeRequestRow = Selectable<BadgeRequestsTable>;
