import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { MailStatus } from '../platform/db/schema.ts';
import { hasLiveJob } from '../platform/jobs/live-jobs.ts';

/** A message as the outbox keeps it until it is delivered. */
export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** The subject and text with their one-time links blanked, for anyone but the recipient. */
  displaySubject: string;
  displayText: string;
  kind: string;
  queuedAt: Date;
}

export interface OutboxFilter {
  status?: MailStatus | undefined;
  to?: string | undefined;
  limit: number;
}

/** SQL for the mail outbox. */
export class NotificationsRepository {
  async insert(db: Db, message: OutboxMessage): Promise<void> {
    await this.insertMany(db, [message]);
  }

  /** Many messages, a few hundred per statement. */
  async insertMany(db: Db, messages: readonly OutboxMessage[]): Promise<void> {
    for (let at = 0; at < messages.length; at += 500) {
      await db
        .insertInto('mail_outbox')
        .values(
          messages.slice(at, at + 500).map((m) => ({
            id: m.id,
            to_address: m.to,
            subject: m.subject,
            text_body: m.text,
            html_body: m.html,
            display_subject: m.displaySubject,
            display_text: m.displayText,
            kind: m.kind,
            queued_at: m.queuedAt,
            enqueued_at: m.queuedAt,
          })),
        )
        .execute();
    }
  }

  find(db: Db, id: string) {
    return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Claims the queued ones of these messages for one delivery until `until`, in one statement: the rows as they
   * were. A message that is not queued (sent, being sent by another delivery, waiting for a retry, given up on) is
   * left out, so a second job for it does nothing.
   */
  claimMany(db: Db, ids: readonly string[], until: Date) {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .updateTable('mail_outbox')
      .set({ status: 'sending', claimed_until: until })
      .where('id', 'in', ids)
      .where('status', '=', 'queued')
      .returningAll()
      .execute();
  }

  /** Records messages the mail server accepted, in one statement; only claimed ones (a claim is what sent them). */
  async markSentMany(db: Db, ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await db
      .updateTable('mail_outbox')
      .set((eb) => ({
        status: 'sent',
        sent_at: at,
        attempts: eb('attempts', '+', 1),
        last_error: null,
        next_attempt_at: null,
        claimed_until: null,
      }))
      .where('id', 'in', ids)
      .where('status', '=', 'sending')
      .execute();
  }

  /**
   * Gives back claimed messages that were not tried (no attempt is counted): queued again as of `now`, for the
   * caller to give each a new job in the same transaction.
   */
  release(db: Db, ids: readonly string[], now: Date) {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .updateTable('mail_outbox')
      .set({ status: 'queued', claimed_until: null, enqueued_at: now })
      .where('id', 'in', ids)
      .where('status', '=', 'sending')
      .returning(['id', 'kind'])
      .execute();
  }

  /**
   * Counts a failed attempt: the message waits until `retryAt`, or with none is given up on (a dead letter, for a
   * refusal that will not change or after a day of attempts).
   */
  async markAttemptFailed(db: Db, id: string, error: string, retryAt: Date | null): Promise<void> {
    await db
      .updateTable('mail_outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: error,
        status: retryAt ? 'retrying' : 'failed',
        next_attempt_at: retryAt,
        claimed_until: null,
      }))
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .execute();
  }

  /**
   * Takes up to `limit` messages nothing will deliver, and marks them queued again as of `now`, in one statement:
   * `queued` ones not queued again in the last `settleSeconds` with no job of `queues` left that could deliver
   * them (it gave up, or its worker died before starting), and `sending` ones whose claim ran out (their worker
   * died mid-delivery). Rows another process is taking at the same moment are skipped, and a row it has just
   * taken has a fresh `enqueued_at`, so each is queued again once.
   */
  takeStuck(db: Db, queues: readonly string[], now: Date, settleSeconds: number, limit: number) {
    const settled = new Date(now.getTime() - settleSeconds * 1000);
    const jobless = db
      .selectFrom('mail_outbox as m')
      .select('m.id')
      .where('m.status', '=', 'queued')
      .where('m.enqueued_at', '<', settled)
      .where(
        sql<boolean>`not ${hasLiveJob(queues, { dataField: 'outboxId' }, sql<string>`m.id::text`, settleSeconds)}`,
      )
      .orderBy('m.enqueued_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const expired = db
      .selectFrom('mail_outbox')
      .select('id')
      .where('status', '=', 'sending')
      .where('claimed_until', '<', now)
      .orderBy('claimed_until')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    return db
      .updateTable('mail_outbox')
      .set({ status: 'queued', claimed_until: null, enqueued_at: now })
      .where((eb) => eb.or([eb('id', 'in', jobless), eb('id', 'in', expired)]))
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('enqueued_at', '<', settled)]),
          eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
        ]),
      )
      .returning(['id', 'kind'])
      .execute();
  }

  /**
   * Takes up to `limit` messages whose next attempt is due and marks them queued again, in one statement; rows
   * another process is taking at the same moment are skipped, so each due message is queued once.
   */
  takeDue(db: Db, now: Date, limit: number) {
    return db
      .updateTable('mail_outbox')
      .set({ status: 'queued', next_attempt_at: null, enqueued_at: now })
      .where(
        'id',
        'in',
        db
          .selectFrom('mail_outbox')
          .select('id')
          .where('status', '=', 'retrying')
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'kind'])
      .execute();
  }

  /** Queues a failed message again, with a fresh day of retries; undefined when it is not (or no longer) failed. */
  requeueFailed(db: Db, id: string, now: Date) {
    return db
      .updateTable('mail_outbox')
      .set({ status: 'queued', next_attempt_at: null, queued_at: now, enqueued_at: now })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .returning(['id', 'kind', 'to_address', 'attempts'])
      .executeTakeFirst();
  }

  list(db: Db, filter: OutboxFilter) {
    return this.#filtered(db, filter).selectAll().execute();
  }

  /** What staff may see of each message: the redacted subject and text, never the real ones. */
  listRedacted(db: Db, filter: OutboxFilter) {
    return this.#filtered(db, filter)
      .select([
        'id',
        'to_address',
        'display_subject as subject',
        'display_text as text_body',
        'kind',
        'status',
        'attempts',
        'last_error',
        'next_attempt_at',
        'created_at',
      ])
      .execute();
  }

  /** How many messages are in each state. */
  countByStatus(db: Db) {
    return db
      .selectFrom('mail_outbox')
      .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
      .groupBy('status')
      .execute();
  }

  #filtered(db: Db, filter: OutboxFilter) {
    let query = db.selectFrom('mail_outbox');
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.to) query = query.where('to_address', '=', filter.to);
    return query.orderBy('created_at', 'desc').limit(filter.limit);
  }
}
