import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { isConnectionFailure } from '../platform/db/connection-failure.ts';
import type { Database, Db } from '../platform/db/database.ts';
import type { MailStatus } from '../platform/db/schema.ts';
import { forbidden, invalidState, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { runBatch } from '../platform/jobs/run-batch.ts';
import type { Logger } from '../platform/logger.ts';
import { LONGEST_SEND_MS, type Mailer, type MailMessage } from '../platform/mail/mailer.ts';
import { laneOf } from './mail-lanes.ts';
import { accountMailJob, bulkMailJob, mailJobFor } from './notifications.jobs.ts';
import { mayDo } from './notifications.policy.ts';
import { NotificationsRepository, type OutboxMessage } from './notifications.repository.ts';
import { redactSecrets } from './redact-secrets.ts';
import { afterFailedAttempt } from './retry-schedule.ts';
import { isPermanentRefusal } from './smtp-refusal.ts';

/**
 * What one delivery did with a message: sent it, or counted a failed attempt (with the server's answer); or nothing
 * (it was not queued, or was given back untried for a delivery of its own).
 */
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
 * How long after its claim a batch may still start a send: the longest a send can take (LONGEST_SEND_MS) and the
 * record's margin before the claim runs out. Only a server that answers nothing holds a batch that long.
 */
const LAST_SEND_START_MS = DELIVERY_CLAIM_MS - SENT_RECORD_MARGIN_MS - LONGEST_SEND_MS;

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

  /** Delivers one queued message (deliverMany with one): for the first administrator's link, and tests. */
  async deliver(outboxId: string): Promise<DeliveryOutcome> {
    const outcomes = await this.deliverMany([outboxId], 1);
    return outcomes.get(outboxId) ?? { status: 'not_queued' };
  }

  /**
   * Delivers a batch of queued messages, `atOnce` sends at a time over the mailer's pooled connections, at the
   * cost of a few commits for the whole batch instead of two per message (issue 15: during a 15,000-row list the
   * claim mails' own commits were what staff pages waited behind on a slow disk). Safe to run twice: the queued ones
   * are claimed in one statement (`sending`, for DELIVERY_CLAIM_MS) and a message that is not `queued` is left
   * alone. The accepted ones are recorded as sent in one statement (see #recordSent); a refused or failed send is
   * recorded with the time of its own next attempt, or, after a day of them or for a refusal that will not change
   * (a 5xx reply), as failed: a dead letter. A message the batch had no time left to try under its claim is queued
   * again untried. The job itself succeeds, since the outbox, not the job queue, owns the retries.
   */
  async deliverMany(outboxIds: readonly string[], atOnce: number): Promise<Map<string, DeliveryOutcome>> {
    const outcomes = new Map<string, DeliveryOutcome>();
    // The claim runs out by the app's clock (the one the stuck-mail watch reads); the record's retries wait on the
    // monotonic one, since they sleep.
    const claimedAt = this.clock.now().getTime();
    const recordUntil = performance.now() + DELIVERY_CLAIM_MS - SENT_RECORD_MARGIN_MS;
    const claimed = await this.repository.claimMany(
      this.database.db,
      outboxIds,
      new Date(claimedAt + DELIVERY_CLAIM_MS),
    );
    if (claimed.length === 0) return outcomes;
    const sent: string[] = [];
    const failed: { mail: (typeof claimed)[number]; error: unknown }[] = [];
    const untried: string[] = [];
    await runBatch(claimed, atOnce, async (mail) => {
      // A send started later than this might still be under way when the claim runs out and the stuck-mail
      // watch queues the message again: leave it to a delivery of its own.
      if (this.clock.now().getTime() - claimedAt > LAST_SEND_START_MS) {
        untried.push(mail.id);
        return;
      }
      try {
        await this.mailer.send({
          id: mail.id,
          to: mail.to_address,
          subject: mail.subject,
          text: mail.text_body,
          html: mail.html_body,
        });
        sent.push(mail.id);
      } catch (error) {
        failed.push({ mail, error });
      }
    });
    // The accepted ones first: they are what a lost record would send twice.
    await this.#recordSent(sent, recordUntil);
    for (const id of sent) outcomes.set(id, { status: 'sent' });
    if (failed.length > 0 || untried.length > 0) {
      await this.database.db.transaction().execute(async (trx) => {
        for (const { mail, error } of failed)
          outcomes.set(mail.id, await this.#recordFailure(trx, mail, error));
        await this.#enqueue(trx, await this.repository.release(trx, untried, this.clock.now()));
      });
      if (untried.length > 0) this.logger.warn({ messages: untried.length }, 'mail queued again untried');
    }
    for (const id of untried) outcomes.set(id, { status: 'not_queued' });
    return outcomes;
  }

  /** Counts one failed attempt: a retry at the message's own next time, or a dead letter. */
  async #recordFailure(
    db: Db,
    mail: { id: string; queued_at: Date; attempts: number },
    error: unknown,
  ): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    const isFinal = isPermanentRefusal(error);
    const next = isFinal ? undefined : afterFailedAttempt(mail.queued_at, mail.attempts + 1, now);
    const retryAt = next && 'retryAt' in next ? next.retryAt : null;
    const reason = String((error as Error).message ?? error);
    await this.repository.markAttemptFailed(
      db,
      mail.id,
      isFinal ? `Refused for good by the mail server: ${reason}` : reason,
      retryAt,
    );
    this.logger.warn({ err: error, outboxId: mail.id, retryAt, isFinal }, 'mail delivery failed');
    return { status: retryAt ? 'retrying' : 'failed', problem: reason };
  }

  /**
   * Records messages the SMTP server has accepted. If the database is lost at that moment, giving up would leave
   * them claimed but not sent, and once their claim ran out the stuck-mail watch would send them a second time;
   * so the record is retried until `deadline` (a margin before the claim runs out, on `performance.now()`'s
   * clock), and the database is usually back well before then. Each message's fixed Message-ID (its outbox id)
   * lets a mail system drop the copy if one is sent anyway.
   */
  async #recordSent(outboxIds: readonly string[], deadline: number): Promise<void> {
    if (outboxIds.length === 0) return;
    for (let wait = 250; ; wait = Math.min(wait * 2, 15_000)) {
      try {
        await this.repository.markSentMany(this.database.db, outboxIds, this.clock.now());
        return;
      } catch (error) {
        if (!isConnectionFailure(error) || performance.now() + wait > deadline) throw error;
        this.logger.warn(
          { err: error, messages: outboxIds.length },
          'mail sent, but not yet recorded: the database is away',
        );
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
