import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { isConnectionFailure } from '../platform/db/connection-failure.ts';
import type { Database, Db } from '../platform/db/database.ts';
import type { MailStatus } from '../platform/db/schema.ts';
import { forbidden, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import type { Logger } from '../platform/logger.ts';
import type { Mailer, MailMessage } from '../platform/mail/mailer.ts';
import { laneOf } from './mail-lanes.ts';
import { accountMailJob, bulkMailJob, mailJobFor } from './notifications.jobs.ts';
import { mayDo } from './notifications.policy.ts';
import { NotificationsRepository, type OutboxMessage } from './notifications.repository.ts';
import { redactSecrets } from './redact-secrets.ts';
import { afterFailedAttempt } from './retry-schedule.ts';
import { isPermanentRefusal } from './smtp-refusal.ts';

/** What one delivery did: sent it, or counted a failed attempt (with the server's answer); or found nothing to do. */
export type DeliveryOutcome =
  | { status: 'sent' }
  | { status: 'retrying' | 'failed'; problem: string }
  | { status: 'not_queued' };

/** How many due retries one check queues again; the next check takes the rest. */
const RETRIES_PER_CHECK = 1000;

/**
 * How long one delivery holds its message. Far above the longest a send can take (the mailer gives up on a silent
 * server within 10 s to connect and 30 s of silence), so only a delivery whose worker died loses its claim; the
 * stuck-mail watch then queues the message again.
 */
export const DELIVERY_CLAIM_MS = 5 * 60_000;

/** How long before its claim runs out a delivery stops trying to record a sent message (see #recordSent). */
const SENT_RECORD_MARGIN_MS = 30_000;

/**
 * How long a message queued (again) is left to its job before the stuck-mail watch looks at it, and how recently
 * a worker must have taken up that job for it to count as alive.
 */
export const STUCK_AFTER_SECONDS = 120;

/** How many stuck messages one watch queues again; the next takes the rest. */
const STUCK_PER_CHECK = 1000;

/** The outbox row for a message; the staff copy is made now, while the template's list of secrets is known. */
function toOutbox(message: MailMessage & { kind: string }, queuedAt: Date): OutboxMessage {
  return {
    id: newId(),
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html ?? null,
    displaySubject: redactSecrets(message.subject, message.secrets),
    displayText: redactSecrets(message.text, message.secrets),
    kind: message.kind,
    queuedAt,
  };
}

/**
 * E-mail goes through an outbox: the message is written in the same transaction as the change that caused it,
 * and a job delivers it afterwards, so a rolled-back change never sends mail. A failed send is retried on the
 * outbox's own schedule for a day (retry-schedule.ts), then kept as a dead letter that staff can resend.
 */
export class NotificationsService {
  constructor(
    private readonly database: Database,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly audit: AuditService,
    private readonly repository = new NotificationsRepository(),
  ) {}

  /** Queues a message inside the caller's transaction, in its lane's queue (mail-lanes.ts). */
  async queueMail(db: Db, message: MailMessage & { kind: string }): Promise<string> {
    const row = toOutbox(message, this.clock.now());
    await this.repository.insert(db, row);
    await this.jobs.send(mailJobFor(laneOf(row.kind)), { outboxId: row.id }, db);
    return row.id;
  }

  /** Queues many messages at once (one insert for the outbox, one per lane for the jobs); ids in order. */
  async queueMails(db: Db, messages: readonly (MailMessage & { kind: string })[]): Promise<string[]> {
    const now = this.clock.now();
    const rows = messages.map((message) => toOutbox(message, now));
    await this.repository.insertMany(db, rows);
    await this.#enqueue(db, rows);
    return rows.map((row) => row.id);
  }

  /**
   * Delivers one queued message; safe to run twice: it first claims the message (`sending`, for DELIVERY_CLAIM_MS),
   * and a message that is not `queued` is left alone. A refused or failed send is recorded with the time of the
   * next attempt, or, after a day of them or for a refusal that will not change (a 5xx reply), as failed: a dead
   * letter. The job itself succeeds, since the outbox, not the job queue, owns the retries.
   */
  async deliver(outboxId: string): Promise<DeliveryOutcome> {
    const db = this.database.db;
    const claimedAt = this.clock.now();
    const mail = await this.repository.claim(db, outboxId, new Date(claimedAt.getTime() + DELIVERY_CLAIM_MS));
    if (!mail) return { status: 'not_queued' };
    try {
      await this.mailer.send({
        id: outboxId,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
      });
    } catch (error) {
      const now = this.clock.now();
      const isFinal = isPermanentRefusal(error);
      const next = isFinal ? undefined : afterFailedAttempt(mail.queued_at, mail.attempts + 1, now);
      const retryAt = next && 'retryAt' in next ? next.retryAt : null;
      const reason = String((error as Error).message ?? error);
      await this.repository.markAttemptFailed(
        db,
        outboxId,
        isFinal ? `Refused for good by the mail server: ${reason}` : reason,
        retryAt,
      );
      this.logger.warn({ err: error, outboxId, retryAt, isFinal }, 'mail delivery failed');
      return { status: retryAt ? 'retrying' : 'failed', problem: reason };
    }
    await this.#recordSent(outboxId);
    return { status: 'sent' };
  }

  /**
   * Records a message the SMTP server has accepted. If the database is lost at that moment, giving up would leave
   * the message claimed but not sent, and once the claim ran out the stuck-mail watch would send it a second time;
   * so the record is retried while the claim holds, and the database is usually back well before then. The
   * message's fixed Message-ID (its outbox id) lets a mail system drop the copy if one is sent anyway.
   */
  async #recordSent(outboxId: string): Promise<void> {
    const deadline = performance.now() + DELIVERY_CLAIM_MS - SENT_RECORD_MARGIN_MS;
    for (let wait = 250; ; wait = Math.min(wait * 2, 15_000)) {
      try {
        await this.repository.markSent(this.database.db, outboxId, this.clock.now());
        return;
      } catch (error) {
        if (!isConnectionFailure(error) || performance.now() + wait > deadline) throw error;
        this.logger.warn({ err: error, outboxId }, 'mail sent, but not yet recorded: the database is away');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * Queues again the messages nothing would ever deliver (run every minute by each working process): a queued
   * message whose job gave up (a database outage longer than its retries) or was lost, and one whose delivery
   * claim ran out because its worker died. Claimed in one statement, so with several processes each is queued
   * once; a message being delivered under a live claim is never touched, so none is sent twice by this. Returns
   * how many were queued.
   */
  async queueStuckMail(): Promise<number> {
    return this.database.db.transaction().execute(async (trx) => {
      const stuck = await this.repository.takeStuck(
        trx,
        [accountMailJob.name, bulkMailJob.name],
        this.clock.now(),
        STUCK_AFTER_SECONDS,
        STUCK_PER_CHECK,
      );
      await this.#enqueue(trx, stuck);
      if (stuck.length > 0) this.logger.warn({ messages: stuck.length }, 'queued stuck mail again');
      return stuck.length;
    });
  }

  /**
   * Queues again every message whose next attempt is due (run every few seconds by each working process; rows
   * are claimed, so two processes never queue one message twice). Returns how many were queued.
   */
  async queueDueRetries(): Promise<number> {
    return this.database.db.transaction().execute(async (trx) => {
      const due = await this.repository.takeDue(trx, this.clock.now(), RETRIES_PER_CHECK);
      await this.#enqueue(
        trx,
        due.map((row) => ({ id: row.id, kind: row.kind })),
      );
      return due.length;
    });
  }

  /** Sends a dead letter again, with a fresh day of retries; recorded in the audit log. */
  async resendFailed(actor: Actor, outboxId: string): Promise<void> {
    if (!mayDo(actor, 'resend_mail')) throw forbidden();
    await this.database.db.transaction().execute(async (trx) => {
      const row = await this.repository.requeueFailed(trx, outboxId, this.clock.now());
      if (!row) {
        if (!(await this.repository.find(trx, outboxId))) throw notFound('That message');
        throw invalidState('Only a message that failed can be sent again; this one is not failed.');
      }
      await this.#enqueue(trx, [row]);
      await this.audit.record(trx, actor, {
        action: 'mail.resent',
        entityType: 'mail',
        entityId: row.id,
        // Who and what kind, never the body: it may hold a one-time link.
        after: { to: row.to_address, kind: row.kind, earlierAttempts: row.attempts },
      });
    });
  }

  async #enqueue(db: Db, rows: readonly { id: string; kind: string }[]): Promise<void> {
    for (const lane of ['account', 'bulk'] as const) {
      const ids = rows.filter((row) => laneOf(row.kind) === lane).map((row) => ({ outboxId: row.id }));
      await this.jobs.sendMany(mailJobFor(lane), ids, db);
    }
  }

  /** Messages with their real bodies: for the recipient's own mailbox (the developer's /dev/mail) and tests. */
  list(filter: { status?: MailStatus | undefined; to?: string; limit?: number }) {
    return this.repository.list(this.database.db, { ...filter, limit: filter.limit ?? 100 });
  }

  /** Messages as staff may see them: who, what, where it is, and the body with one-time links blanked. */
  async listForStaff(actor: Actor, filter: { status?: MailStatus | undefined; limit?: number }) {
    if (!mayDo(actor, 'read_outbox')) throw forbidden();
    const db = this.database.db;
    const rows = await this.repository.listRedacted(db, { ...filter, limit: filter.limit ?? 100 });
    const counts = Object.fromEntries(
      (await this.repository.countByStatus(db)).map((row) => [row.status, Number(row.count)]),
    ) as Partial<Record<MailStatus, number>>;
    return {
      rows: rows.map((row) => ({ ...row, lane: laneOf(row.kind) })),
      counts,
      canResend: mayDo(actor, 'resend_mail'),
    };
  }

  find(id: string) {
    return this.repository.find(this.database.db, id);
  }
}
