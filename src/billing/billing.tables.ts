import type { ColumnType, Selectable } from 'kysely';

type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * posted: owed on the student account; waived: cancelled before it reached the account; reversed: cancelled
 * after it was exported, so the next export carries a credit.
 */
export type FeeChargeStatus = 'posted' | 'waived' | 'reversed';

/** The fee for one credential, charged to the learner's student account. One per credential. */
export interface FeeChargesTable {
  id: string;
  credential_id: string;
  learner_id: string;
  program_id: string;
  /** Integer cents. */
  amount_cents: number;
  status: Defaulted<FeeChargeStatus>;
  posted_at: Timestamp;
  waived_by: string | null;
  waived_at: Date | null;
  reason: string | null;
  /** The bursar export that carried the charge to the student accounts. */
  exported_batch: string | null;
  /** The bursar export that carried the reversal (a credit) of an exported charge. */
  reversal_exported_batch: string | null;
  /** Why the bursar should look at this charge again (its badge was revoked as issued in error), if so. */
  review_reason: Defaulted<string | null>;
  review_flagged_at: Defaulted<Date | null>;
}

export interface BursarExportsTable {
  id: string;
  created_at: Timestamp;
  created_by: string | null;
  created_by_label: string;
  charge_count: number;
  reversal_count: number;
  net_cents: number;
}

/** The billing module's tables, merged into the app's `DB` interface. */
export interface BillingTables {
  fee_charges: FeeChargesTable;
  bursar_exports: BursarExportsTable;
}

export type FeeChargeRow = Selectable<FeeChargesTable>;
