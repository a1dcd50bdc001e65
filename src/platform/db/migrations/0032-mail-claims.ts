import { type Kysely, sql } from 'kysely';

/**
 * Mail is never stuck, and never sent twice by the watch that unsticks it (issue 15). A delivery first claims its
 * message: `sending`, with `claimed_until` a few minutes ahead; only a `queued` message can be claimed. A watch
 * then queues again what nothing will ever deliver: a `queued` message whose job gave up or was lost (none of the
 * queue's jobs for it can still run), and a `sending` one whose claim ran out (its worker died mid-delivery).
 * `enqueued_at` says when the message's current job was sent, so the watch leaves a message it has just queued
 * again alone, even in a process that looked at the same moment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mail_outbox drop constraint mail_outbox_status_check;
    alter table mail_outbox add constraint mail_outbox_status_check
      check (status in ('queued', 'sending', 'retrying', 'sent', 'failed'));
    alter table mail_outbox add column claimed_until timestamptz;
    alter table mail_outbox add constraint mail_outbox_claim_has_time
      check ((status = 'sending') = (claimed_until is not null));
    alter table mail_outbox add column enqueued_at timestamptz not null default now();
    update mail_outbox set enqueued_at = queued_at;
    create index mail_outbox_waiting_idx on mail_outbox (enqueued_at) where status = 'queued';
    create index mail_outbox_claimed_idx on mail_outbox (claimed_until) where status = 'sending';
  `.execute(db);
}
