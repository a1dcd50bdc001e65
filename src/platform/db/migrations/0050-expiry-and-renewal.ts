import { type Kysely, sql } from 'kysely';

/**
 * Expiry and renewal (issue 19, point 7). A program may say what renewing its badge takes (a requirement rule met
 * by work done after the badge was awarded); a renewal is a new award that names the award it renews, and the old
 * award is marked renewed, not revoked: it was never wrong, it has simply been followed by a newer badge.
 *
 * "One standing award per learner and program" now counts neither revoked nor renewed awards, so a renewal (and a
 * new award after a revocation) can be written, while an award can still be renewed only once.
 *
 * `expiry_reminders` is the register of reminders sent: one row per award and number of days before expiry, so a
 * reminder run that is repeated, retried or run by two processes at once sends each reminder once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table programs add column renewal_requirement jsonb;

    -- Checked at commit: a restore writes a chain of renewals in one go, in whatever order the rows come.
    alter table issued_awards add column renews_award_id uuid references issued_awards (id)
      deferrable initially deferred;
    alter table issued_awards add column renewed_at timestamptz;
    alter table issued_awards drop constraint issued_awards_source_check;
    alter table issued_awards add constraint issued_awards_source_check
      check (source in ('badge_request', 'tracking_list', 'renewal'));
    alter table issued_awards add constraint issued_awards_renewal_names_award
      check ((source = 'renewal') = (renews_award_id is not null));
    create unique index issued_awards_renewed_once on issued_awards (renews_award_id)
      where renews_award_id is not null;
    drop index issued_awards_once;
    create unique index issued_awards_once on issued_awards (learner_id, program_id)
      where revoked_at is null and renewed_at is null;

    create table expiry_reminders (
      award_id uuid not null references issued_awards (id),
      days_before integer not null check (days_before > 0),
      recipient text not null,
      sent_at timestamptz not null,
      primary key (award_id, days_before)
    );
  `.execute(db);
}
