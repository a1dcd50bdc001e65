import type { Db } from '../platform/db/database.ts';

/** A message as the outbox keeps it until it is delivered. */
export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  kind: string;
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

  list(db: Db, filter: { status?: 'queued' | 'sent' | 'failed'; to?: string; limit: number }) {
    let query = db.selectFrom('mail_outbox').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.to) query = query.where('to_address', '=', filter.to);
    return query.orderBy('created_at', 'desc').limit(filter.limit).execute();
  }
}
