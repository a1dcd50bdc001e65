import type { ColumnType, Selectable } from 'kysely';

type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Which office issues a badge: the registrar for credit-bearing ones, the credentials office for the rest. */
export type Office = 'registrar' | 'credentials_office';
/** How one learner takes a program: for credit (on the transcript) or not. */
export type CreditMode = 'credit' | 'non_credit';
/** How an award came to be: a learner's request, a tracking list, or the renewal of an earlier award. */
export type AwardSource = 'badge_request' | 'tracking_list' | 'renewal';

export type TrackingListStatus = 'preview' | 'queued' | 'running' | 'done' | 'failed' | 'discarded';
/**
 * A tracking-list row before commit: ready, not eligible (and why) or an error in the row itself; after it:
 * issued, skipped (issued meanwhile by another route) or failed (refused when issuing).
 */
export type TrackingRowStatus = 'ready' | 'not_eligible' | 'error' | 'issued' | 'skipped' | 'failed';

export interface TrackingListsTable {
  id: string;
  file_name: string;
  sha256: string;
  cohort: string;
  credit_mode: CreditMode;
  office: Office;
  status: Defaulted<TrackingListStatus>;
  rows_total: number;
  uploaded_by: string | null;
  uploaded_by_label: string;
  uploaded_at: Timestamp;
  committed_by: string | null;
  committed_at: Date | null;
  finished_at: Date | null;
  last_error: string | null;
  /** When the list's worker last said it was alive; null until one takes it up. */
  heartbeat_at: Date | null;
  /** The worker run holding the list (tracking-list-heartbeat.ts); null while nobody does. */
  worker_id: string | null;
  /**
   * When the list reached its office: a program lead's draft is null until the lead submits it; an office's own
   * upload is submitted as it is uploaded.
   */
  submitted_at: Date | null;
}

export interface TrackingListRowsTable {
  id: string;
  list_id: string;
  line: number;
  student_id: Defaulted<string>;
  email: Defaulted<string>;
  first_name: Defaulted<string>;
  last_name: Defaulted<string>;
  program_slug: Defaulted<string>;
  /** 'YYYY-MM-DD' */
  completion_date: string | null;
  term: Defaulted<string>;
  credit_mode: CreditMode | null;
  cohort: Defaulted<string>;
  fee_waived: Defaulted<boolean>;
  notes: Defaulted<string>;
  learner_id: string | null;
  program_id: string | null;
  status: TrackingRowStatus;
  reason: string | null;
  credential_id: string | null;
  processed_at: Date | null;
  /** Set when the credential issued from this row is revoked; the learner may then be issued again. */
  revoked_at: Defaulted<Date | null>;
}

/** One learner's badge for one program, however it was issued; unique per learner and program. */
export interface IssuedAwardsTable {
  id: string;
  learner_id: string;
  program_id: string;
  credential_id: string;
  office: Office;
  credit_mode: CreditMode;
  source: AwardSource;
  badge_request_id: string | null;
  tracking_list_row_id: string | null;
  term: string | null;
  completion_date: string | null;
  credits: number;
  issued_by: string | null;
  issued_at: Timestamp;
  registrar_export_id: string | null;
  /** Set when the award's credential is revoked: it no longer counts as the learner's badge for the program. */
  revoked_at: Defaulted<Date | null>;
  /** The registrar export that withdrew the transcript notation of a revoked, already exported award. */
  registrar_withdrawal_id: Defaulted<string | null>;
  /** The earlier award this one renews (source 'renewal'). */
  renews_award_id: Defaulted<string | null>;
  /** Set when a newer award renewed this one: it stays valid until it expires but no longer counts as standing. */
  renewed_at: Defaulted<Date | null>;
}

/** A reminder of a badge's expiry, sent once per award and number of days before. */
export interface ExpiryRemindersTable {
  award_id: string;
  days_before: number;
  recipient: string;
  sent_at: Date;
}

export interface RegistrarExportsTable {
  id: string;
  created_at: Timestamp;
  created_by: string | null;
  created_by_label: string;
  /** Notations added. */
  row_count: number;
  /** Notations withdrawn (badges revoked after an earlier export). */
  withdrawal_count: Defaulted<number>;
}

/** The issuing module's tables, merged into the app's `DB` interface. */
export interface IssuingTables {
  tracking_lists: TrackingListsTable;
  tracking_list_rows: TrackingListRowsTable;
  issued_awards: IssuedAwardsTable;
  expiry_reminders: ExpiryRemindersTable;
  registrar_exports: RegistrarExportsTable;
}

export type TrackingListRow = Selectable<TrackingListsTable>;
export type TrackingListLine = Selectable<TrackingListRowsTable>;
export type IssuedAwardRow = Selectable<IssuedAwardsTable>;
