import type { ColumnType } from 'kysely';

type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ReactivationStatus = 'pending' | 'approved' | 'declined';
export type ImportChannel = 'web' | 'api' | 'cli';
export type ImportOutcome = 'accepted' | 'updated' | 'unchanged' | 'rejected';

export interface ReactivationRequestsTable {
  id: string;
  user_id: string;
  program_id: string;
  learner_id: string | null;
  name: string;
  student_id: string | null;
  last_term: string;
  reason: string;
  status: Defaulted<ReactivationStatus>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  created_at: Timestamp;
}

export interface CompletionImportsTable {
  id: string;
  file_name: string;
  sha256: string;
  channel: ImportChannel;
  uploaded_by: string | null;
  uploaded_by_label: string;
  rows_total: Defaulted<number>;
  accepted: Defaulted<number>;
  updated: Defaulted<number>;
  unchanged: Defaulted<number>;
  rejected: Defaulted<number>;
  /** Rows taken for a term that had not ended on the day of the import (they count from its last day). */
  pending_term_end: Defaulted<number>;
  created_at: Timestamp;
}

export interface CompletionImportRowsTable {
  import_id: string;
  row_number: number;
  outcome: ImportOutcome;
  reason: string | null;
  student_id: Defaulted<string>;
  course: Defaulted<string>;
  term: Defaulted<string>;
  learner_id: string | null;
  /** 'YYYY-MM-DD': for a row taken before its term ended, the day its grade starts to count. */
  counts_from: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * One row per import and learner it named (by a known student ID): the outcomes of that learner's lines and their
 * numbers. The learner's page and learner removal read these, not the report rows.
 */
export interface CompletionImportLearnersTable {
  import_id: string;
  learner_id: string;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The lines (report rows) that named the learner. */
  row_numbers: number[];
}

/** The learners module's own tables, merged into the `DB` interface. */
export interface LearnersTables {
  reactivation_requests: ReactivationRequestsTable;
  completion_imports: CompletionImportsTable;
  completion_import_rows: CompletionImportRowsTable;
  completion_import_learners: CompletionImportLearnersTable;
}
