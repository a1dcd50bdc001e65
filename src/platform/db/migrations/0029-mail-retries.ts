import { type Kysely, sql } from 'kysely';

/**
 * Mail that failed to leave is retried on the outbox's own schedule for a day (issue 15): a message is `retrying`
 * with the time of its next attempt, and only after the last one `failed` (the dead letters staff can resend).
 * The day is counted from `queued_at`, which a resend from the dead letters moves to the resend. A queued message
 * from before this change keeps its job; nothing here needs rewriting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mail_outbox drop constraint mail_outbox_status_check;
    alter table mail_outbox add constraint mail_outbox_status_check
      check (status in ('queued', 'retrying', 'sent', 'failed'));
    alter table mail_outbox add column next_attempt_at timestamptz;
    alter table mail_outbox add column queued_at timestamptz not null default now();
    update mail_outbox set queued_at = created_at;
    alter table mail_outbox add constraint mail_outbox_retry_has_time
      check ((status = 'retrying') = (next_attempt_at is not null));
    create index mail_outbox_due_idx on mail_outbox (next_attempt_at) where status = 'retrying';
  `.execute(db);
}
