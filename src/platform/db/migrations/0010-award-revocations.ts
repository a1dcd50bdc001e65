import { type Kysely, sql } from 'kysely';

/**
 * A revoked badge no longer blocks a new one. "One award per learner and program" (and one issued tracking-list row)
 * now holds among awards that stand: a badge revoked because it went to the wrong cohort, or for a grade later
 * corrected, can be issued again, while a re-uploaded list or a retried job still cannot issue twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table issued_awards add column revoked_at timestamptz;
    alter table issued_awards drop constraint issued_awards_once;
    create unique index issued_awards_once on issued_awards (learner_id, program_id) where revoked_at is null;

    alter table tracking_list_rows add column revoked_at timestamptz;
    alter table tracking_list_rows add check (revoked_at is null or status = 'issued');
    drop index tracking_list_rows_issued_once;
    create unique index tracking_list_rows_issued_once on tracking_list_rows (learner_id, program_id)
      where status = 'issued' and revoked_at is null;

    -- Awards revoked before this migration.
    update issued_awards a set revoked_at = c.status_changed_at
      from credentials c where c.id = a.credential_id and c.status = 'revoked';
    update tracking_list_rows r set revoked_at = c.status_changed_at
      from credentials c where c.id = r.credential_id and c.status = 'revoked';
  `.execute(db);
}
