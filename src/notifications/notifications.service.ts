import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Database, Db } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { JobDefinition, JobQueue } from '../platform/jobs/queue.ts';
import type { Logger } from '../platform/logger.ts';
import type { Mailer, MailMessage } from '../platform/mail/mailer.ts';
import { NotificationsRepository, type OutboxMessage } from './notifications.repository.ts';
import { redactSecrets } from './redact-secrets.ts';

/** The job that delivers one outbox message. */
export const sendMailJob: JobDefinition<{ outboxId: string }> = {
  name: 'mail-send',
  payload: z.object({ outboxId: z.uuid() }),
  retryLimit: 5,
};

/** The outbox row for a message; the staff copy is made now, while the template's list of secrets is known. */
function toOutbox(message: MailMessage & { kind: string }): OutboxMessage {
  return {
    id: newId(),
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html ?? null,
    displaySubject: redactSecrets(message.subject, message.secrets),
    displayText: redactSecrets(message.text, message.secrets),
    kind: message.kind,
  };
}

/** How many delivery attempts before a message is marked failed (pg-boss retries with backoff in between). */
const MAX_ATTEMPTS = (sendMailJob.retryLimit ?? 0) + 1;

/**
 * E-mail goes through an outbox: the message is written in the same transaction as the change that caused it,
 * and a job delivers it afterwards, so a rolled-back change never sends mail and a failed send is retried.
 */
export class NotificationsService {
  constructor(
    private readonly database: Database,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly repository = new NotificationsRepository(),
  ) {}

  /** Queues a message inside the caller's transaction. */
  async queueMail(db: Db, message: MailMessage & { kind: string }): Promise<string> {
    const row = toOutbox(message);
    await this.repository.insert(db, row);
    await this.jobs.send(sendMailJob, { outboxId: row.id }, db);
    return row.id;
  }

  /** Queues many messages at once (one insert for the outbox, one for the delivery jobs); ids in order. */
  async queueMails(db: Db, messages: readonly (MailMessage & { kind: string })[]): Promise<string[]> {
    const rows = messages.map(toOutbox);
    await this.repository.insertMany(db, rows);
    await this.jobs.sendMany(
      sendMailJob,
      rows.map((row) => ({ outboxId: row.id })),
      db,
    );
    return rows.map((row) => row.id);
  }

  /** Delivers one queued message; safe to run twice (a sent message is not sent again). */
  async deliver(outboxId: string): Promise<void> {
    const db = this.database.db;
    const mail = await this.repository.find(db, outboxId);
    if (!mail || mail.status === 'sent') return;
    try {
      await this.mailer.send({
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
      });
      await this.repository.markSent(db, outboxId, this.clock.now());
    } catch (error) {
      const giveUp = mail.attempts + 1 >= MAX_ATTEMPTS;
      await this.repository.markAttemptFailed(
        db,
        outboxId,
        String((error as Error).message ?? error),
        giveUp,
      );
      this.logger.warn({ err: error, outboxId, giveUp }, 'mail delivery failed');
      throw error;
    }
  }

  /** Messages with their real bodies: for the recipient's own mailbox (the developer's /dev/mail) and tests. */
  list(filter: { status?: 'queued' | 'sent' | 'failed'; to?: string; limit?: number }) {
    return this.repository.list(this.database.db, { ...filter, limit: filter.limit ?? 100 });
  }

  /** Messages as staff may see them: who, what, whether it went out, and the body with one-time links blanked. */
  listForStaff(filter: { status?: 'queued' | 'sent' | 'failed'; limit?: number }) {
    return this.repository.listRedacted(this.database.db, { ...filter, limit: filter.limit ?? 100 });
  }

  find(id: string) {
    return this.repository.find(this.database.db, id);
  }
}
