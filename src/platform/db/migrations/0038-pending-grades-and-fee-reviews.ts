import { type Kysely, sql } from 'kysely';

/**
 * Two facts that were lost (issue 17):
 * - A completions import counts the grades it took for a term that has not ended yet; they count toward badges
 *   from the term's last day. Each such row of the report keeps that day (`counts_from`).
 * - A fee whose badge was revoked as issued in error is flagged for the bursar's review: the charge stays as it
 *   was (it may have reached the student account already), and the bursar decides whether to reverse it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table completion_imports add column pending_term_end integer not null default 0;
    alter table completion_import_rows add column counts_from date;
    alter table fee_charges add column review_reason text;
    alter table fee_charges add column review_flagged_at timestamptz;
    alter table fee_charges add constraint fee_charges_review_has_time
      check ((review_reason is null) = (review_flagged_at is null));
  `.execute(db);
}
