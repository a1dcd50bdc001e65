import { type Kysely, sql } from 'kysely';

/**
 * Indexes on the work still to do, so that the homes' queues count what waits instead of every row ever written.
 * The registrar's additions and the bursar's charges already had theirs (migration 0007: awards and charges not yet
 * exported); the withdrawals (revoked awards whose notation was sent and not yet withdrawn), the reversals not yet
 * sent and the charges flagged for review had none, so each count read every award or every fee charge.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index issued_awards_registrar_withdrawals_idx on issued_awards (issued_at)
      where credit_mode = 'credit' and registrar_export_id is not null and revoked_at is not null
        and registrar_withdrawal_id is null;
    create index fee_charges_unexported_reversals_idx on fee_charges (posted_at)
      where status = 'reversed' and reversal_exported_batch is null;
    create index fee_charges_review_idx on fee_charges (posted_at)
      where status = 'posted' and review_reason is not null;
  `.execute(db);
}
