import type { Db } from '../platform/db/database.ts';

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
}

export interface OutboxFilter {
  status?: 'queued' | 'sent' | 'failed' | undefined;
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
          })),
        )
        .execute();
    }
  }

  find(db: Db, id: string) {
    return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async markSent(db: Db, id: string, at: Date): Promise<void> {
    await db
      .updateTable('mail_outbox')
      .set((eb) => ({ status: 'sent', sent_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', '=', id)
      .execute();
  }

  async markAttemptFailed(db: Db, id: string, error: string, giveUp: boolean): Promise<void> {
    await db
      .updateTable('mail_outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: error,
        status: giveUp ? 'failed' : 'queued',
      }))
      .where('id', '=', id)
      .execute();
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
        'created_at',
      ])
      .execute();
  }

  #filtered(db: Db, filter: OutboxFilter) {
    let query = db.selectFrom('mail_outbox');
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.to) query = query.where('to_address', '=', filter.to);
    return query.orderBy('created_at', 'desc').limit(filter.limit);
  }
}
